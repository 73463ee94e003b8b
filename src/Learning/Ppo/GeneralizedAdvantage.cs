namespace MsMano.Learning.Ppo;

/// <summary>
/// Generalised advantage estimation (Schulman et al. 2016) for one segment, per agent, step-major layout
/// (index = t · N + i). A terminated step does not bootstrap; a truncated step bootstraps from the value of its
/// true final observation; either ends the advantage chain so nothing leaks across an episode boundary.
/// </summary>
public static class GeneralizedAdvantage
{
    /// <param name="rewards">[T · N]</param>
    /// <param name="terminated">[T · N]</param>
    /// <param name="truncated">[T · N]</param>
    /// <param name="values">V(s_t), [T · N]</param>
    /// <param name="nextValues">V of the observation after the last step, [N]</param>
    /// <param name="finalValues">V of the final observation at truncated steps, [T · N]; other entries are ignored</param>
    /// <param name="advantages">output, [T · N]</param>
    /// <param name="returns">output: advantages + values, the value-net target, [T · N]</param>
    public static void Compute(
        int steps,
        int agents,
        double gamma,
        double lambda,
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> nextValues,
        ReadOnlySpan<float> finalValues,
        Span<float> advantages,
        Span<float> returns)
    {
        int n = steps * agents;
        if (rewards.Length != n || terminated.Length != n || truncated.Length != n || values.Length != n
            || finalValues.Length != n || advantages.Length != n || returns.Length != n)
        {
            throw new ArgumentException($"GAE inputs and outputs must all hold steps·agents = {n} elements.");
        }
        if (nextValues.Length != agents)
        {
            throw new ArgumentException($"GAE nextValues must hold {agents} elements, had {nextValues.Length}.", nameof(nextValues));
        }
        for (int i = 0; i < agents; i++)
        {
            double carried = 0.0;
            for (int t = steps - 1; t >= 0; t--)
            {
                int k = t * agents + i;
                double bootstrap;
                bool episodeEnds = terminated[k] || truncated[k];
                if (terminated[k])
                {
                    bootstrap = 0.0;
                }
                else if (truncated[k])
                {
                    bootstrap = finalValues[k];
                }
                else
                {
                    bootstrap = t == steps - 1 ? nextValues[i] : values[k + agents];
                }
                double delta = rewards[k] + gamma * bootstrap - values[k];
                carried = delta + (episodeEnds ? 0.0 : gamma * lambda * carried);
                advantages[k] = (float)carried;
                returns[k] = (float)(carried + values[k]);
            }
        }
    }
}
