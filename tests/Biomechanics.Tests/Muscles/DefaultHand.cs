using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Tests.Muscles;

internal static class DefaultHand
{
    private static readonly Lazy<HandPlant> s_plant = new(() => new HandPlant(HandModelFile.LoadDefault()));

    public static HandPlant Plant => s_plant.Value;

    public static int Dof(string joint, int axis)
    {
        var joints = Plant.Model.Joints;
        for (int j = 1; j < joints.Length; j++)
        {
            if (joints[j].Name == joint)
            {
                return Plant.DofOf(j, axis);
            }
        }
        throw new ArgumentException($"no joint {joint}");
    }

    public static int Muscle(string name)
    {
        for (int m = 0; m < Plant.MuscleCount; m++)
        {
            if (Plant.MuscleNames[m] == name)
            {
                return m;
            }
        }
        throw new ArgumentException($"no muscle {name}");
    }
}
