using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;

namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Estimator of <see cref="GraphFeaturizerTransformer"/>. Fitting learns nothing (a graph belongs to the section it
/// is built on); it checks the input columns and carries the options into the transformer.
/// </summary>
public sealed class GraphFeaturizerEstimator : IEstimator<GraphFeaturizerTransformer>
{
    private readonly GraphFeaturizerOptions _options;

    public GraphFeaturizerEstimator(GraphFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    public GraphFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new GraphFeaturizerTransformer(_options);
        transformer.GetOutputSchema(input.Schema);   // validates the columns now, not at the first Transform
        return transformer;
    }

    /// <summary>
    /// The input shape plus the two neighbour columns. Input annotations that are text vectors (slot names, key
    /// values) are carried over; other annotation kinds are not represented in the propagated shape.
    /// </summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = SchemaShapeFactory.ToSchema(inputSchema);
        return SchemaShapeFactory.FromSchema(new GraphFeaturizerTransformer(_options).GetOutputSchema(schema));
    }
}
