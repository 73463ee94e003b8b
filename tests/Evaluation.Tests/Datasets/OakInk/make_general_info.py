"""Writes a synthetic OakInk anno/general_info pickle the way `pickle.dump` writes a dict of torch tensors, without torch.

A CPU tensor pickles as torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks) and its
storage as torch.storage._load_from_bytes(blob), blob being torch's legacy torch.save format (torch/serialization.py
_legacy_save: magic number, protocol 1001, sys_info, the storage as persistent id, the storage keys, then per storage
an int64 element count and the raw little-endian data). Stand-in modules named like torch's make pickle write the same
GLOBAL opcodes. Made-up values, never OakInk data. Usage: python3 make_general_info.py OUT.pkl PROTOCOL
"""
import collections
import io
import pickle
import struct
import sys
import types

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch_storage = types.ModuleType("torch.storage")
sys.modules.update({"torch": torch, "torch._utils": torch_utils, "torch.storage": torch_storage})


def _rebuild_tensor_v2(*args):
    raise RuntimeError("stand-in")


def _load_from_bytes(b):
    raise RuntimeError("stand-in")


class FloatStorage:
    pass


for fn, mod in ((_rebuild_tensor_v2, torch_utils), (_load_from_bytes, torch_storage)):
    fn.__module__ = mod.__name__
    setattr(mod, fn.__name__, fn)
FloatStorage.__module__ = "torch"
FloatStorage.__qualname__ = "FloatStorage"
torch.FloatStorage = FloatStorage


class Storage:
    """A float32 storage; pickles like torch's (legacy torch.save bytes inside _load_from_bytes)."""

    def __init__(self, values):
        self.values = list(values)

    def legacy_bytes(self):
        f = io.BytesIO()
        pickle.dump(0x1950A86A20F9469CFC6C, f, protocol=2)
        pickle.dump(1001, f, protocol=2)
        pickle.dump(dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4)), f, protocol=2)
        key = "94371615285280"
        pickler = pickle.Pickler(f, protocol=2)
        pickler.persistent_id = lambda obj: ("storage", FloatStorage, key, "cpu", len(self.values), None) if obj is self else None
        pickler.dump(self)
        pickle.dump([key], f, protocol=2)
        f.write(struct.pack("<q", len(self.values)))
        f.write(struct.pack("<%df" % len(self.values), *self.values))
        return f.getvalue()

    def __reduce__(self):
        return (_load_from_bytes, (self.legacy_bytes(),))


class Tensor:
    def __init__(self, values, size, offset=0, stride=None):
        self.storage, self.size, self.offset = Storage(values), tuple(size), offset
        self.stride = stride or tuple(int(__import__("math").prod(size[i + 1:])) for i in range(len(size)))

    def __reduce__(self):
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))


shape = [0.5, -1.25, 0.75, 0.0, 2.0, -0.5, 0.125, 1.5, -2.0, 0.25]
pose = [0.1 * i for i in range(64)]
general_info = {
    "hand_anno": {
        "hand_pose": Tensor(pose, (64,)),
        "hand_shape": Tensor([9.0] + shape, (10,), offset=1),  # a view into a larger storage
        "hand_tsl": Tensor([0.01, 0.02, 0.5], (3,)),
    },
    "cam_extr": Tensor([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], (4, 4)),
    "cam_intr": Tensor([600, 0, 424, 0, 600, 240, 0, 0, 1], (3, 3), stride=(1, 3)),  # a transposed view
}
with open(sys.argv[1], "wb") as out:
    pickle.dump(general_info, out, protocol=int(sys.argv[2]))
