using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Experiments;

namespace MsMano.Biomechanics.Tests.Muscles;

/// <summary>Single-muscle excitations of the shipped hand behave as the anatomy says (paper Fig. 6 protocol).</summary>
public sealed class MuscleBehaviourTests
{
    private const float Deg = MathF.PI / 180f;
    private static readonly string[] s_otherFingers = ["index", "middle", "pinky", "thumb"];

    private static ExcitationTrace Relaxed(float[]? start = null) =>
        SingleMuscleExcitation.Run(DefaultHand.Plant, "FDS4", 0f, 1.0, start);

    /// <summary>Largest difference, over the other fingers' dofs, between a run and the relaxed run.</summary>
    private static float OtherFingersEffect(ExcitationTrace run, ExcitationTrace relaxed, params string[] except)
    {
        float worst = 0;
        for (int d = 0; d < DefaultHand.Plant.DofCount; d++)
        {
            if (s_otherFingers.Except(except).Any(f => run.DofNames[d].StartsWith(f, StringComparison.Ordinal)))
            {
                worst = MathF.Max(worst, MathF.Abs(run.Final(d) - relaxed.Final(d)));
            }
        }
        return worst;
    }

    [Fact]
    public void Exciting_FDS4_flexes_the_ring_MCP_and_PIP_while_DIP_and_the_other_fingers_barely_move()
    {
        ExcitationTrace run = SingleMuscleExcitation.Run(DefaultHand.Plant, "FDS4", 1f, 1.0);
        ExcitationTrace relaxed = Relaxed();
        float mcp = run.Final(DefaultHand.Dof("ring1", 0));
        float pip = run.Final(DefaultHand.Dof("ring2", 0));
        float dip = run.Final(DefaultHand.Dof("ring3", 0));
        Assert.True(mcp > 30 * Deg, $"ring MCP flexion {mcp / Deg:F1} deg");
        Assert.True(pip > 30 * Deg, $"ring PIP flexion {pip / Deg:F1} deg");
        // FDS inserts on the middle phalanx: it does not cross the DIP.
        Assert.True(MathF.Abs(dip) < 0.25f * pip, $"ring DIP moved {dip / Deg:F1} deg against PIP {pip / Deg:F1} deg");
        float others = OtherFingersEffect(run, relaxed);
        Assert.True(others < 2 * Deg, $"other fingers moved {others / Deg:F2} deg");
    }

    [Fact]
    public void Exciting_FDP4_also_flexes_the_ring_DIP()
    {
        ExcitationTrace run = SingleMuscleExcitation.Run(DefaultHand.Plant, "FDP4", 1f, 1.0);
        Assert.True(run.Final(DefaultHand.Dof("ring3", 0)) > 30 * Deg, $"ring DIP {run.Final(DefaultHand.Dof("ring3", 0)) / Deg:F1} deg");
        Assert.True(run.Final(DefaultHand.Dof("ring2", 0)) > 30 * Deg);
        // The curling ring finger pushes the little finger through the skin contact, as in MuJoCo; the others stay put.
        float others = OtherFingersEffect(run, Relaxed(), "pinky");
        Assert.True(others < 2 * Deg, $"index, middle or thumb moved {others / Deg:F2} deg");
    }

    [Theory]
    [InlineData("EDC4", "ring")]
    [InlineData("EDC2", "index")]
    [InlineData("EIP", "index")]
    [InlineData("EDM", "pinky")]
    public void Extensors_extend_a_flexed_finger(string muscle, string finger)
    {
        HandPlant plant = DefaultHand.Plant;
        float[] start = new float[plant.DofCount];
        for (int k = 1; k <= 3; k++)
        {
            start[DefaultHand.Dof($"{finger}{k}", 0)] = 45 * Deg;
        }
        // Passive tissue alone slowly unrolls a flexed finger, so compare with that relaxed run early in the motion.
        ExcitationTrace run = SingleMuscleExcitation.Run(plant, muscle, 1f, 0.1, start);
        ExcitationTrace relaxed = SingleMuscleExcitation.Run(plant, muscle, 0f, 0.1, start);
        for (int k = 1; k <= 2; k++)
        {
            int d = DefaultHand.Dof($"{finger}{k}", 0);
            Assert.True(run.Final(d) < relaxed.Final(d) - 5 * Deg, $"{muscle}: {finger}{k} at {run.Final(d) / Deg:F1} deg after 0.1 s, relaxed {relaxed.Final(d) / Deg:F1} deg");
        }
    }
}
