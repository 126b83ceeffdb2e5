using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>An optimizer TorchSharp implements (SGD with or without Nesterov momentum, Adam, AdamW).</summary>
internal sealed class TorchStepOptimizer(string name, optim.Optimizer optimizer) : IStepOptimizer
{
    private double _learningRate = double.NaN;

    public string Name { get; } = name;

    public double LearningRate
    {
        get => optimizer.ParamGroups.First().LearningRate;
        set
        {
            if (value.Equals(_learningRate))
            {
                return; // most steps keep the rate: no walk over the groups
            }

            foreach (optim.ILearningRateController group in optimizer.ParamGroups)
            {
                group.LearningRate = value;
            }

            _learningRate = value;
        }
    }

    public void ZeroGrad() => optimizer.zero_grad();

    public void TakeStep() => optimizer.step();

    public void Dispose() => optimizer.Dispose();
}
