using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// Fuses the concatenated modality embeddings: two linear layers (PyTorch's default init). PRAGA uses no
/// nonlinearity between them; <paramref name="activation"/> lets a variant add one.
/// </summary>
public sealed class FusionMlp : nn.Module
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly bool _relu;

    public FusionMlp(long inputDim, long hiddenDim, long outputDim, bool activation = false) : base(nameof(FusionMlp))
    {
        fc1 = nn.Linear(inputDim, hiddenDim);
        fc2 = nn.Linear(hiddenDim, outputDim);
        _relu = activation;
        RegisterComponents();
    }

    public Tensor Forward(Tensor concatenated)
    {
        using var hidden = fc1.forward(concatenated);
        if (!_relu) return fc2.forward(hidden);
        using var activated = nn.functional.relu(hidden);
        return fc2.forward(activated);
    }
}
