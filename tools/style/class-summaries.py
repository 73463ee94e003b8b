# Inserts a one-line /// <summary> above each src/ type that lacked one (issue 9 style sweep). Idempotent; run from the repository root.
import re, sys
S = {
 ("src/Biomechanics/Bench/HandBatchBenchmark.cs", "BatchBenchmarkResult"): "The three measured configurations (scalar, SIMD on one core, SIMD on all cores) and the step they timed.",
 ("src/Biomechanics/Experiments/SingleMuscleExcitation.cs", "SingleMuscleExcitation"): "One muscle excited alone from a start pose: the experiment behind the single-muscle agreement checks.",
 ("src/Biomechanics/Model/HandModel.cs", "HandModel"): "The hand model file (\"msmano-hand\" version 1): joints, bodies, tips and muscles in the conventions above.",
 ("src/Biomechanics/Model/HandModel.cs", "JointSpec"): "One MANO joint: rest centre, anatomical frame and per-axis limits.",
 ("src/Biomechanics/Model/HandModel.cs", "BodySpec"): "The rigid body a joint carries: mass, centre of mass and inertia at rest.",
 ("src/Biomechanics/Model/HandModel.cs", "TipSpec"): "A fingertip point: its joint and rest offset.",
 ("src/Biomechanics/Model/HandModel.cs", "MuscleGroup"): "Where a muscle acts: wrist only, forearm to fingers, or inside the hand.",
 ("src/Biomechanics/Model/HandModel.cs", "ViaPoint"): "A point a muscle path passes through, carried by one joint's frame.",
 ("src/Biomechanics/Model/HandModel.cs", "WrapKind"): "The shape a muscle path wraps around.",
 ("src/Cli/Program.cs", "Program"): "The msmano entry point: logging set up, commands parsed and run, one line on failure.",
 ("src/Cluster/Learner/LearningMode.cs", "LearningModes"): "The learning modes' names and the key that selects one.",
 ("src/Cluster/Telemetry/NodeTelemetry.cs", "NodeTelemetryProvider"): "Creates the node's telemetry extension once per actor system.",
 ("src/Contracts/Policy/ReassemblyResult.cs", "ReassemblyStatus"): "What one weights chunk did to its snapshot's reassembly.",
 ("src/Dashboard/Api/StatusView.cs", "EvaluationReportView"): "The last evaluation report as the page shows it: its scores, files and plots.",
 ("src/Environments/Motion/Generator/Finger.cs", "Fingers"): "The four long fingers and their MANO joints.",
 ("src/Environments/Policy/VectorWidth.cs", "VectorWidths"): "The SIMD width this CPU runs the policy kernel at.",
 ("src/Evaluation/Datasets/DexYcb/DexYcbSplit.cs", "DexYcbSplitName"): "A DexYCB split.",
 ("src/Evaluation/Datasets/MotionSources/OakInkMotions.cs", "OakInkPart"): "Which OakInk frames a motion source reads.",
 ("src/Evaluation/Datasets/MotionSources/PoseFileMotions.cs", "PoseFileFormat"): "The format of a pose file.",
 ("src/Evaluation/Datasets/OakInk/OakInkSplit.cs", "OakInkSplit"): "OakInk's split files: where they are and how their entries read.",
 ("src/Evaluation/Official/ScoringProtocol.cs", "ScoringProtocols"): "Chooses the scoring protocol a job runs under.",
 ("src/Learning/Bench/CheckpointBenchmark.cs", "CheckpointBenchmark"): "What a checkpoint's fsyncs cost, measured against unsynced writes.",
 ("src/ModelFormats/Import/MjcfModel.cs", "MjcfBody"): "An MJCF body: its parent, pose and inertial.",
 ("src/ModelFormats/Import/MjcfModel.cs", "MjcfInertialSource"): "Where a body's inertial came from.",
 ("src/ModelFormats/Import/MjcfModel.cs", "MjcfJoint"): "An MJCF joint: type, axis, range and passive properties.",
 ("src/ModelFormats/Import/MjcfModel.cs", "MjcfSite"): "An MJCF site, in its body's frame and in the world at qpos0.",
 ("src/ModelFormats/Import/MjcfModel.cs", "MjcfGeom"): "An MJCF geom: type, size and pose in its body.",
 ("src/ModelFormats/Import/MjcfModel.cs", "MjcfPathKind"): "What a tendon path element is: a site or a wrapping geom.",
 ("src/ModelFormats/Import/MjcfModel.cs", "MjcfTendon"): "An MJCF spatial tendon: its name and path.",
 ("src/ModelFormats/Numpy/NpyDType.cs", "NpyKind"): "The kind of a numpy dtype.",
 ("src/ModelFormats/Numpy/Npz.cs", "NpzReader"): "Reads numpy .npz archives (zip of .npy) into an NpzFile.",
}
done = 0
for (path, name), text in S.items():
    lines = open(path).read().split('\n')
    pat = re.compile(r'^(public|internal|static|sealed|abstract|partial|readonly| )*(class|record|struct|interface|enum)\s+' + re.escape(name) + r'\b')
    for i, l in enumerate(lines):
        if pat.match(l):
            j = i - 1
            while j >= 0 and lines[j].strip().startswith('['):
                j -= 1
            if j >= 0 and lines[j].strip().startswith('///'):
                break
            lines.insert(j + 1, f'/// <summary>{text}</summary>')
            done += 1
            break
    else:
        print('not found', path, name, file=sys.stderr)
    open(path, 'w').write('\n'.join(lines))
print(done, 'summaries added')
