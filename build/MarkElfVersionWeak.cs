using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Build-time task (see TorchSharpNative.targets): sets VER_FLG_WEAK on one symbol-version requirement of
// ELF64 little-endian shared objects, when the host's libstdc++ does not provide that version.
public sealed class MarkElfVersionWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (HostProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "Host libstdc++ provides {0}; TorchSharp native left as shipped.", VersionName);
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var bytes = File.ReadAllBytes(path);
                var result = Patch(bytes, VersionName);
                if (result == PatchResult.Patched)
                {
                    // Write a new file and move it over the old one, so a hard link into the NuGet cache is never modified.
                    var tmp = path + ".weak.tmp";
                    File.WriteAllBytes(tmp, bytes);
                    File.Delete(path);
                    File.Move(tmp, path);
                    Log.LogMessage(MessageImportance.High, "Marked {0} weak in {1} (host libstdc++ lacks it).", VersionName, path);
                }
                else
                {
                    Log.LogMessage(MessageImportance.Low, "{0}: {1}", path, result);
                }
            }
            catch (Exception ex)
            {
                Log.LogError("Could not patch {0}: {1}", path, ex.Message);
                return false;
            }
        }
        return true;
    }

    private enum PatchResult { Patched, AlreadyWeak, NotReferenced, NotElf64 }

    private static bool HostProvides(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
            }
        }
        // No libstdc++ found where we look: patching is harmless (weak only relaxes the check), so do it.
        return false;
    }

    private static PatchResult Patch(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            return PatchResult.NotElf64;
        }
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed)
            {
                continue;
            }
            long secOffset = BitConverter.ToInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            long strOffset = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);

            long need = secOffset;
            while (true)
            {
                int count = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < count; a++)
                {
                    uint nameOffset = BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, strOffset + nameOffset) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                        {
                            return PatchResult.AlreadyWeak;
                        }
                        ushort weak = (ushort)(flags | VerFlgWeak);
                        elf[(int)aux + 4] = (byte)(weak & 0xff);
                        elf[(int)aux + 5] = (byte)(weak >> 8);
                        return PatchResult.Patched;
                    }
                    uint nextAux = BitConverter.ToUInt32(elf, (int)aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0)
                {
                    break;
                }
                need += next;
            }
        }
        return PatchResult.NotReferenced;
    }

    private static string ReadCString(byte[] data, long offset)
    {
        int end = (int)offset;
        while (end < data.Length && data[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(data, (int)offset, end - (int)offset);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        // netstandard2.0 (the inline-task target) has no span search.
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && haystack[i + k] == needle[k])
            {
                k++;
            }
            if (k == needle.Length)
            {
                return i;
            }
        }
        return -1;
    }
}
