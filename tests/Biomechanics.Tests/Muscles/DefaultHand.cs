using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Tests.Muscles;

internal static class DefaultHand
{
    private static readonly Lazy<HandPlant> s_plant = new(() => new HandPlant(HandModelFile.LoadDefault()));

    public static HandPlant Plant => s_plant.Value;

    public static int Dof(string joint, int axis) => Plant.DofOf(joint, axis);

    public static int Muscle(string name) => Plant.MuscleIndex(name);
}
