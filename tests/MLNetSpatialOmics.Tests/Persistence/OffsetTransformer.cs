using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Tests.Persistence;

/// <summary>A minimal stateful transformer used to test the persistence layer: Output = Input + offset (per slot).</summary>
[PersistableTransformer("TEST_OFFSET", version: 1)]
internal sealed class OffsetTransformer : IPersistableTransformer
{
    public string InputColumn { get; }
    public string OutputColumn { get; }
    public double[] Offset { get; }
    public DenseMatrix Big { get; }

    public OffsetTransformer(string input, string output, double[] offset, DenseMatrix big)
    {
        InputColumn = input;
        OutputColumn = output;
        Offset = offset;
        Big = big;
    }

    public bool IsRowToRowMapper => false;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        Transform(new InMemoryDataView(new[] { InMemoryColumn.Vector(InputColumn, new float[0], Offset.Length) })).Schema;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("whole-section transformer");

    public IDataView Transform(IDataView input)
    {
        var x = DataViewReader.ReadVectorColumn(input, InputColumn);
        var y = x.Clone();
        for (int i = 0; i < y.Rows; i++)
            for (int j = 0; j < y.Cols; j++) y[i, j] += Offset[j] + Big.Data[j % Big.Data.Length];
        return new InMemoryDataView(input, new[] { InMemoryColumn.Vector(OutputColumn, y) });
    }

    public void SaveState(ModelStateWriter writer)
    {
        writer.Write("input", InputColumn);
        writer.Write("output", OutputColumn);
        writer.Write("offset", Offset);
        var child = writer.Child("extra");
        child.Write("big", Big);
    }

    internal static OffsetTransformer LoadState(MLContext context, ModelStateReader reader) =>
        new(reader.GetString("input")!, reader.GetString("output")!, reader.GetDoubleArray("offset"),
            reader.GetChild("extra").GetDense("big"));

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
