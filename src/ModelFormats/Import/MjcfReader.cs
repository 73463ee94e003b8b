using System.Xml.Linq;
using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.ModelFormats.Import;

/// <summary>
/// Reads the subset of MJCF a musculoskeletal model needs: includes, defaults and childclass, the body tree with
/// world frames at qpos0, inertials, joints, sites, geoms, spatial tendons and muscle actuators. Meshes, textures,
/// cameras and lights are ignored. Unsupported constructs that would change the result (frames, pulleys,
/// non-muscle actuators) are errors, never silently dropped.
/// </summary>
public static class MjcfReader
{
    public static MjcfModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"MJCF file not found: {path}", path);
        }
        var missing = new List<string>();
        XElement root = MjcfIncludes.LoadExpanded(path, missing);
        if (root.Name.LocalName != "mujoco")
        {
            throw new MjcfException(path, MjcfSource.LineOf(root), "root element", root.Name.LocalName, "expected <mujoco>.");
        }
        var defaults = MjcfDefaults.Read(root);
        var compiler = MjcfCompilerSettings.Read(root, defaults);
        var state = new ReaderState(defaults, compiler);

        state.AddWorld();
        foreach (XElement world in root.Elements("worldbody"))
        {
            state.ReadBodyContents(world, 0, MjcfDefaults.MainClass);
        }
        foreach (XElement tendon in root.Elements("tendon"))
        {
            state.ReadTendons(tendon);
        }
        foreach (XElement actuator in root.Elements("actuator"))
        {
            state.ReadActuators(actuator);
        }
        List<MjcfContactExclude> excludes = MjcfContactSection.Read(root, defaults);
        Vec3 gravity = new(0, 0, -9.81);
        foreach (XElement option in root.Elements("option"))
        {
            var e = new MjcfElement(option, defaults, MjcfDefaults.MainClass);
            double[]? g = e.OptionalDoubles("gravity", 3);
            if (g is not null)
            {
                gravity = new Vec3(g[0], g[1], g[2]);
            }
        }
        var model = new MjcfModel
        {
            SourcePath = Path.GetFullPath(path),
            ModelName = (string?)root.Attribute("model") ?? "",
            Bodies = state.Bodies,
            Joints = state.Joints,
            Sites = state.Sites,
            Geoms = state.Geoms,
            Tendons = state.Tendons,
            Muscles = state.Muscles,
            Gravity = gravity,
            MissingIncludes = missing,
            ContactExcludes = excludes,
        };
        state.CheckReferences(model);
        return model;
    }

    private sealed class ReaderState(MjcfDefaults defaults, MjcfCompilerSettings compiler)
    {
        private readonly HashSet<string> _bodyNames = [];
        private readonly HashSet<string> _siteNames = [];
        private readonly HashSet<string> _geomNames = [];
        private readonly HashSet<string> _jointNames = [];
        private readonly Dictionary<int, XElement?> _inertialElements = [];
        private readonly Dictionary<int, string> _bodyClasses = [];

        public List<MjcfBody> Bodies { get; } = [];
        public List<MjcfJoint> Joints { get; } = [];
        public List<MjcfSite> Sites { get; } = [];
        public List<MjcfGeom> Geoms { get; } = [];
        public List<MjcfTendon> Tendons { get; } = [];
        public List<MjcfMuscle> Muscles { get; } = [];

        public void AddWorld()
        {
            Bodies.Add(new MjcfBody
            {
                Name = "world",
                Index = 0,
                Parent = -1,
                LocalPosition = Vec3.Zero,
                LocalOrientation = Quat.Identity,
                WorldPosition = Vec3.Zero,
                WorldOrientation = Quat.Identity,
                Inertial = new MjcfInertial(0, Vec3.Zero, Mat3.Zero, MjcfInertialSource.BoundsOnly),
            });
            _bodyNames.Add("world");
        }

        /// <summary>Reads the joints, geoms, sites, inertial and child bodies of body <paramref name="bodyIndex"/>.</summary>
        public void ReadBodyContents(XElement container, int bodyIndex, string childClass)
        {
            MjcfBody body = Bodies[bodyIndex];
            foreach (XElement child in container.Elements())
            {
                string tag = child.Name.LocalName;
                string cls = ClassOf(child, childClass);
                switch (tag)
                {
                    case "body":
                        ReadBody(child, bodyIndex, cls);
                        break;
                    case "joint":
                    case "freejoint":
                        ReadJoint(new MjcfElement(child, defaults, cls, "joint"), body, tag == "freejoint");
                        break;
                    case "geom":
                        ReadGeom(new MjcfElement(child, defaults, cls), body);
                        break;
                    case "site":
                        ReadSite(new MjcfElement(child, defaults, cls), body);
                        break;
                    case "inertial":
                        if (_inertialElements.TryGetValue(bodyIndex, out XElement? previous) && previous is not null)
                        {
                            throw new MjcfException(MjcfSource.FileOf(child), MjcfSource.LineOf(child), $"<body name=\"{body.Name}\"> <inertial>", null,
                                "a body may have only one <inertial>.");
                        }
                        _inertialElements[bodyIndex] = child;
                        break;
                    case "frame":
                    case "replicate":
                    case "composite":
                    case "flexcomp":
                        throw new MjcfException(MjcfSource.FileOf(child), MjcfSource.LineOf(child), $"<{tag}>", null,
                            "this MJCF element is not supported by the hand importer.");
                    default:
                        // Cameras, lights, plugins and the like carry no anatomy.
                        break;
                }
            }
            if (bodyIndex > 0)
            {
                FinishInertial(bodyIndex);
            }
        }

        private void ReadBody(XElement element, int parentIndex, string cls)
        {
            var e = new MjcfElement(element, defaults, cls);
            string name = e.String("name", $"body{Bodies.Count}");
            if (!_bodyNames.Add(name))
            {
                throw e.Error("name", name, "duplicate body name.");
            }
            MjcfBody parent = Bodies[parentIndex];
            var pos = Vec3.From(e.Doubles("pos", 3, [0, 0, 0]));
            Quat quat = MjcfOrientation.Read(e, compiler);
            var body = new MjcfBody
            {
                Name = name,
                Index = Bodies.Count,
                Parent = parentIndex,
                LocalPosition = pos,
                LocalOrientation = quat,
                WorldPosition = parent.WorldPosition + parent.WorldOrientation.Rotate(pos),
                WorldOrientation = (parent.WorldOrientation * quat).Normalized(),
                Inertial = new MjcfInertial(0, Vec3.Zero, Mat3.Zero, MjcfInertialSource.BoundsOnly),
            };
            Bodies.Add(body);
            _inertialElements[body.Index] = null;
            // childclass applies to everything inside this body that names no class itself.
            string inner = (string?)element.Attribute("childclass") ?? cls;
            CheckClass(e, "childclass", inner);
            _bodyClasses[body.Index] = inner;
            ReadBodyContents(element, body.Index, inner);
        }

        private string ClassOf(XElement element, string inherited)
        {
            string cls = (string?)element.Attribute("class") ?? inherited;
            if (!defaults.HasClass(cls))
            {
                throw new MjcfException(MjcfSource.FileOf(element), MjcfSource.LineOf(element), $"<{element.Name.LocalName} class>", cls,
                    "no <default class> of that name.");
            }
            return cls;
        }

        private void CheckClass(MjcfElement e, string attribute, string cls)
        {
            if (!defaults.HasClass(cls))
            {
                throw e.Error(attribute, cls, "no <default class> of that name.");
            }
        }

        private void FinishInertial(int bodyIndex)
        {
            MjcfBody body = Bodies[bodyIndex];
            XElement? inertial = _inertialElements[bodyIndex];
            MjcfInertial result;
            if (inertial is not null)
            {
                result = MjcfMassProperties.Bound(ReadInertial(new MjcfElement(inertial, defaults, MjcfDefaults.MainClass), body), compiler);
            }
            else if (compiler.InertiaFromGeom != "false")
            {
                result = MjcfMassProperties.FromPrimitiveGeoms(Geoms.Where(g => g.Body == body.Name), compiler);
            }
            else
            {
                result = MjcfMassProperties.Bound(new MjcfInertial(0, Vec3.Zero, Mat3.Zero, MjcfInertialSource.BoundsOnly), compiler);
            }
            Bodies[bodyIndex] = body with { Inertial = result };
        }

        private MjcfInertial ReadInertial(MjcfElement e, MjcfBody body)
        {
            double mass = e.Double("mass", double.NaN);
            if (!(mass >= 0))
            {
                throw e.Error("mass", e.Raw("mass"), $"<inertial> of body \"{body.Name}\" needs a non-negative mass.");
            }
            var pos = Vec3.From(e.Doubles("pos", 3, [0, 0, 0]));
            double[]? full = e.OptionalDoubles("fullinertia", 6);
            double[]? diag = e.OptionalDoubles("diaginertia", 3);
            if ((full is null) == (diag is null))
            {
                throw e.Error("diaginertia", e.Raw("diaginertia"), $"<inertial> of body \"{body.Name}\" needs exactly one of diaginertia and fullinertia.");
            }
            Quat q = MjcfOrientation.Read(e, compiler);
            Mat3 inertia;
            if (full is not null)
            {
                if (q != Quat.Identity)
                {
                    throw e.Error("fullinertia", e.Raw("fullinertia"), "fullinertia cannot be combined with an orientation.");
                }
                inertia = Mat3.Symmetric(full[0], full[1], full[2], full[3], full[4], full[5]);
            }
            else
            {
                Mat3 r = q.ToMatrix();
                inertia = r * Mat3.Diagonal(diag![0], diag[1], diag[2]) * r.Transpose();
            }
            return new MjcfInertial(mass, pos, inertia, MjcfInertialSource.Explicit);
        }

        private void ReadJoint(MjcfElement e, MjcfBody body, bool free)
        {
            string name = e.String("name", $"joint{Joints.Count}");
            if (!_jointNames.Add(name))
            {
                throw e.Error("name", name, "duplicate joint name.");
            }
            string type = free ? "free" : e.String("type", "hinge");
            if (type is not ("hinge" or "slide" or "ball" or "free"))
            {
                throw e.Error("type", type, "expected hinge, slide, ball or free.");
            }
            var axis = Vec3.From(e.Doubles("axis", 3, [0, 0, 1]));
            if (!(axis.Norm() > 0))
            {
                throw e.Error("axis", e.Raw("axis"), "the joint axis has zero length.");
            }
            axis = axis.Normalized();
            var pos = Vec3.From(e.Doubles("pos", 3, [0, 0, 0]));
            double[] range = e.Doubles("range", 2, [0, 0]);
            if (type is "hinge" or "ball")
            {
                range = [compiler.Angle(range[0]), compiler.Angle(range[1])];
            }
            string limitedText = e.String("limited", "auto");
            bool limited = limitedText switch
            {
                "true" => true,
                "false" => false,
                "auto" => e.Raw("range") is not null,
                _ => throw e.Error("limited", limitedText, "expected true, false or auto."),
            };
            if (limited && range[0] > range[1])
            {
                throw e.Error("range", e.Raw("range"), "the lower limit exceeds the upper limit.");
            }
            Joints.Add(new MjcfJoint
            {
                Name = name,
                Body = body.Name,
                Type = type,
                LocalAxis = axis,
                LocalPosition = pos,
                WorldAnchor = body.WorldPosition + body.WorldOrientation.Rotate(pos),
                WorldAxis = body.WorldOrientation.Rotate(axis),
                Limited = limited,
                Range = range,
                Damping = e.Double("damping", 0),
                Armature = e.Double("armature", 0),
                Stiffness = e.Double("stiffness", 0),
            });
        }

        private void ReadGeom(MjcfElement e, MjcfBody body)
        {
            string name = e.String("name", "");
            if (name.Length > 0 && !_geomNames.Add(name))
            {
                throw e.Error("name", name, "duplicate geom name.");
            }
            string type = e.String("type", "sphere");
            double[] size = e.VariableDoubles("size", 3, [0, 0, 0]);
            Vec3 pos;
            Quat quat;
            double[]? fromTo = e.OptionalDoubles("fromto", 6);
            if (fromTo is not null)
            {
                if (type is not ("capsule" or "cylinder" or "box" or "ellipsoid"))
                {
                    throw e.Error("fromto", e.Raw("fromto"), $"fromto is only valid for capsule, cylinder, box and ellipsoid, not {type}.");
                }
                Vec3 a = Vec3.From(fromTo), b = Vec3.From(fromTo, 3);
                if (!((b - a).Norm() > 0))
                {
                    throw e.Error("fromto", e.Raw("fromto"), "the two end points coincide.");
                }
                pos = 0.5 * (a + b);
                quat = MjcfOrientation.MinimalRotationFromZ(b - a);
                double half = 0.5 * (b - a).Norm();
                size = type is "capsule" or "cylinder" ? [size[0], half] : [size[0], size.Length > 1 ? size[1] : size[0], half];
            }
            else
            {
                pos = Vec3.From(e.Doubles("pos", 3, [0, 0, 0]));
                quat = MjcfOrientation.Read(e, compiler);
            }
            double? mass = e.Raw("mass") is null ? null : e.Double("mass", 0);
            Geoms.Add(new MjcfGeom
            {
                Name = name,
                Body = body.Name,
                Type = type,
                Size = size,
                LocalPosition = pos,
                LocalOrientation = quat,
                WorldPosition = body.WorldPosition + body.WorldOrientation.Rotate(pos),
                WorldOrientation = (body.WorldOrientation * quat).Normalized(),
                Density = e.Double("density", 1000),
                Mass = mass,
                Contact = MjcfContactSection.GeomContact(e),
            });
        }

        private void ReadSite(MjcfElement e, MjcfBody body)
        {
            string name = e.String("name", "");
            if (name.Length > 0 && !_siteNames.Add(name))
            {
                throw e.Error("name", name, "duplicate site name.");
            }
            Vec3 pos;
            double[]? fromTo = e.OptionalDoubles("fromto", 6);
            pos = fromTo is not null ? 0.5 * (Vec3.From(fromTo) + Vec3.From(fromTo, 3)) : Vec3.From(e.Doubles("pos", 3, [0, 0, 0]));
            Sites.Add(new MjcfSite
            {
                Name = name,
                Body = body.Name,
                LocalPosition = pos,
                WorldPosition = body.WorldPosition + body.WorldOrientation.Rotate(pos),
            });
        }

        public void ReadTendons(XElement section)
        {
            foreach (XElement t in section.Elements())
            {
                string cls = ClassOf(t, MjcfDefaults.MainClass);
                var e = new MjcfElement(t, defaults, cls, "tendon");
                if (t.Name.LocalName == "fixed")
                {
                    throw e.Error("name", e.Raw("name"), "fixed tendons are not supported by the hand importer.");
                }
                if (t.Name.LocalName != "spatial")
                {
                    continue;
                }
                string name = e.RequiredString("name");
                if (Tendons.Any(x => x.Name == name))
                {
                    throw e.Error("name", name, "duplicate tendon name.");
                }
                var path = new List<MjcfPathElement>();
                foreach (XElement p in t.Elements())
                {
                    var pe = new MjcfElement(p, defaults, cls);
                    switch (p.Name.LocalName)
                    {
                        case "site":
                            path.Add(new MjcfPathElement(MjcfPathKind.Site, pe.RequiredString("site"), null));
                            break;
                        case "geom":
                            path.Add(new MjcfPathElement(MjcfPathKind.Geom, pe.RequiredString("geom"), pe.Raw("sidesite")));
                            break;
                        default:
                            throw pe.Error(p.Name.LocalName, null, $"tendon \"{name}\": path element <{p.Name.LocalName}> is not supported (only site and geom).");
                    }
                }
                if (path.Count < 2 || path[0].Kind != MjcfPathKind.Site || path[^1].Kind != MjcfPathKind.Site)
                {
                    throw e.Error("name", name, "a spatial tendon path must start and end with a site and have at least two sites.");
                }
                Tendons.Add(new MjcfTendon { Name = name, Path = path });
            }
        }

        public void ReadActuators(XElement section)
        {
            foreach (XElement a in section.Elements())
            {
                string tag = a.Name.LocalName;
                string cls = ClassOf(a, MjcfDefaults.MainClass);
                var e = new MjcfElement(a, defaults, cls);
                if (tag != "muscle")
                {
                    throw e.Error("name", e.Raw("name"), $"actuator <{tag}> is not supported; the hand importer reads <muscle> actuators only.");
                }
                string name = e.RequiredString("name");
                if (e.Raw("joint") is not null || e.Raw("site") is not null)
                {
                    throw e.Error("tendon", e.Raw("tendon"), "only tendon-driven muscles are supported.");
                }
                double force = e.Double("force", -1);
                if (!(force > 0))
                {
                    throw e.Error("force", e.Raw("force"), "an explicit peak force > 0 is required (MuJoCo's scale/acc0 rule is not reproduced).");
                }
                double[] lengthRange = e.Doubles("lengthrange", 2, [0, 0]);
                if (!(lengthRange[1] > lengthRange[0]) || !(lengthRange[0] > 0))
                {
                    throw e.Error("lengthrange", e.Raw("lengthrange"), "an explicit increasing positive length range is required (it is not recomputed here).");
                }
                double[] range = e.Doubles("range", 2, [0.75, 1.05]);
                if (!(range[1] > range[0]))
                {
                    throw e.Error("range", e.Raw("range"), "the operating range must be increasing.");
                }
                double[] timeConst = e.Doubles("timeconst", 2, [0.01, 0.04]);
                if (!(timeConst[0] > 0) || !(timeConst[1] > 0))
                {
                    throw e.Error("timeconst", e.Raw("timeconst"), "time constants must be positive.");
                }
                Muscles.Add(new MjcfMuscle
                {
                    Name = name,
                    Tendon = e.RequiredString("tendon"),
                    Force = force,
                    LengthRange = lengthRange,
                    Range = range,
                    LMin = e.Double("lmin", 0.5),
                    LMax = e.Double("lmax", 1.6),
                    VMax = e.Double("vmax", 1.5),
                    FpMax = e.Double("fpmax", 1.3),
                    FvMax = e.Double("fvmax", 1.2),
                    TimeConst = timeConst,
                });
            }
        }

        public void CheckReferences(MjcfModel model)
        {
            foreach (MjcfTendon t in model.Tendons)
            {
                foreach (MjcfPathElement p in t.Path)
                {
                    if (p.Kind == MjcfPathKind.Site)
                    {
                        model.Site(p.Name);
                    }
                    else
                    {
                        model.Geom(p.Name);
                        if (p.SideSite is not null)
                        {
                            model.Site(p.SideSite);
                        }
                    }
                }
            }
            foreach (MjcfMuscle m in model.Muscles)
            {
                model.Tendon(m.Tendon);
            }
        }
    }
}
