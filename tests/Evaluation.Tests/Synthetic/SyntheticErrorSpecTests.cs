using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.Tests.Synthetic;

public sealed class SyntheticErrorSpecTests
{
    [Fact]
    public void Overrides_only_the_named_parameters()
    {
        var defaults = new SyntheticErrorOptions();
        SyntheticErrorOptions parsed = SyntheticErrorSpec.Parse(" jitter=0.02, tau=1.5,WRIST=0,twist=0 ", defaults);
        Assert.Equal(defaults with { JitterStd = 0.02, DriftTimeConstant = 1.5, WristScale = 0, TwistProbability = 0 }, parsed);
        Assert.Same(defaults, SyntheticErrorSpec.Parse(null, defaults));
        Assert.Same(defaults, SyntheticErrorSpec.Parse("  ", defaults));
    }

    [Theory]
    [InlineData("jitter", "'jitter' is not key=value")]
    [InlineData("speed=2", "unknown key 'speed'")]
    [InlineData("drift=abc", "drift = 'abc' is not a finite number")]
    [InlineData("drift=NaN", "drift = 'NaN' is not a finite number")]
    public void Bad_specs_name_the_part(string spec, string message)
    {
        FormatException error = Assert.Throws<FormatException>(() => SyntheticErrorSpec.Parse(spec, new SyntheticErrorOptions()));
        Assert.Contains(spec, error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Out_of_range_values_are_rejected_by_the_options()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticErrorSpec.Parse("jitter=-1", new SyntheticErrorOptions()));
        Assert.Contains("JitterStd", error.Message);
    }
}
