using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Base of the preprocessing estimators: one input vector column, one output float vector column.</summary>
public abstract class SectionColumnEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : SectionColumnTransformer
{
    private protected readonly IHostEnvironment Context;
    private protected abstract string DisplayName { get; }
    private protected abstract string InputColumn { get; }
    private protected abstract string OutputColumn { get; }

    private protected SectionColumnEstimator(IHostEnvironment context) => Context = context ?? throw new ArgumentNullException(nameof(context));

    public abstract TTransformer Fit(IDataView input);

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        OutputSchemas.Append(inputSchema, InputColumn, OutputColumn, DisplayName);

    /// <summary>Reads the training column (validated) with its slot names.</summary>
    private protected (FeatureMatrix Matrix, string[]? SlotNames) ReadTrainingColumn(IDataView input, string? column = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ColumnChecks.Read(input, column ?? InputColumn, DisplayName);
    }
}
