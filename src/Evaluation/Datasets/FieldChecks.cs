using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;

namespace MsMano.Evaluation.Datasets;

/// <summary>Shared validation helpers: every failure names the file, the field and the value.</summary>
internal static class FieldChecks
{
    public static float[] FiniteFloats(NdArray array, string source, string field)
    {
        float[] values = array.ToFloatArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new DataFormatException(source, field, $"element {i} is {values[i]} (not finite)");
            }
        }

        return values;
    }

    public static double[] FiniteDoubles(NdArray array, string source, string field)
    {
        double[] values = array.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new DataFormatException(source, field, $"element {i} is {values[i]} (not finite)");
            }
        }

        return values;
    }

    public static void Finite(IReadOnlyList<double> values, string source, string field)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new DataFormatException(source, field, $"element {i} is {values[i]} (not finite)");
            }
        }
    }

    public static NdArray Shape(NdArray array, string source, string field, params int[] shape)
    {
        bool ok = array.Rank == shape.Length;
        for (int i = 0; ok && i < shape.Length; i++)
        {
            ok = shape[i] < 0 || shape[i] == array.Shape[i];
        }

        return ok
            ? array
            : throw new DataFormatException(source, field, $"shape is {array.ShapeText}, expected ({string.Join(", ", shape.Select(s => s < 0 ? "*" : s.ToString(System.Globalization.CultureInfo.InvariantCulture)))})");
    }
}
