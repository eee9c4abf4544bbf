namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// A piecewise-constant weight over epochs: <c>Values[0]</c> before <c>Boundaries[0]</c>, <c>Values[i]</c> from
/// <c>Boundaries[i-1]</c> (inclusive) to <c>Boundaries[i]</c> (exclusive), the last value after the last boundary.
/// CRCT's λ (augmented-reconstruction weight) and β (cluster weight) follow such schedules.
/// </summary>
public sealed class StepSchedule
{
    public IReadOnlyList<double> Values { get; }
    public IReadOnlyList<int> Boundaries { get; }

    public StepSchedule(IReadOnlyList<double> values, IReadOnlyList<int> boundaries)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(boundaries);
        if (values.Count != boundaries.Count + 1)
            throw new ArgumentException($"a step schedule needs one more value than boundaries; got {values.Count} values and {boundaries.Count} boundaries.", nameof(values));
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i]) || values[i] < 0)
                throw new ArgumentException($"schedule value {i} is {values[i]}; weights must be finite and non-negative.", nameof(values));
        for (int i = 0; i < boundaries.Count; i++)
            if (boundaries[i] < 0 || (i > 0 && boundaries[i] <= boundaries[i - 1]))
                throw new ArgumentException($"schedule boundaries must be non-negative and strictly increasing; got {string.Join(", ", boundaries)}.", nameof(boundaries));
        Values = values.ToArray();
        Boundaries = boundaries.ToArray();
    }

    public static StepSchedule Constant(double value) => new(new[] { value }, Array.Empty<int>());

    public double At(int epoch)
    {
        int i = 0;
        while (i < Boundaries.Count && epoch >= Boundaries[i]) i++;
        return Values[i];
    }

    /// <summary>λ on HLN ("Preprocessing and hyperparameters"): 0.05 / 0.5 / 1 over epochs 0–5 / 5–15 / ≥15.</summary>
    public static StepSchedule LymphNodeAugmentation() => new(new[] { 0.05, 0.5, 1.0 }, new[] { 5, 15 });

    /// <summary>λ on every other dataset: 0.01 / 0.2 / 0.5 over epochs 0–100 / 100–200 / ≥200.</summary>
    public static StepSchedule DefaultAugmentation() => new(new[] { 0.01, 0.2, 0.5 }, new[] { 100, 200 });

    /// <summary>β: 0 for the first 100 epochs, then 1.</summary>
    public static StepSchedule DefaultCluster() => new(new[] { 0.0, 1.0 }, new[] { 100 });

    public override string ToString() =>
        Boundaries.Count == 0 ? Values[0].ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Join(" | ", Values.Select((v, i) => $"{(i == 0 ? 0 : Boundaries[i - 1])}+: {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
}
