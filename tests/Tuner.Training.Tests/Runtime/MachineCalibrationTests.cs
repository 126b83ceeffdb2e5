using Tuner.Training.Runtime;

namespace Tuner.Training.Tests.Runtime;

public sealed class MachineCalibrationTests
{
    [Fact]
    public void MeasureStepSeconds_ReferenceWorkload_IsAPlausibleStepTimeAndLeavesNoTensors()
    {
        TorchSharp.torch.set_num_threads(1);
        MachineCalibration.MeasureStepSeconds(3); // load and JIT
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        double seconds = MachineCalibration.MeasureStepSeconds();

        // An MLP 784-256-10 step on batch 128 is ~0.2 GFLOP: well under a second on any CPU, above 10 us on any.
        Assert.InRange(seconds, 1e-5, 1.0);
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void MeasureStepSeconds_NoSteps_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MachineCalibration.MeasureStepSeconds(0));
    }

    [Fact]
    public void Matching_SuiteModelAtTheBatchSize_StepsWithoutDrawingFromTheGlobalGenerator()
    {
        TorchSharp.torch.set_num_threads(1);
        using var reference = ReferenceWorkload.Matching(new Tuner.Training.Models.ModelSpec("cnn", [32], [4]), [1, 8, 8], 10, 16);
        reference.Step(); // the optimizer's state and the gradients exist from the first step on
        TorchSharp.torch.manual_seed(5);
        float expected = TorchSharp.torch.rand(1).item<float>();
        TorchSharp.torch.manual_seed(5);
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        double seconds = reference.MedianStepSecondsFor(0.002);

        Assert.Equal(expected, TorchSharp.torch.rand(1).item<float>());
        Assert.InRange(seconds, 1e-6, 1.0);
        Assert.Equal(before + 1, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount); // only the rand above
    }
}
