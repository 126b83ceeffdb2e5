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
}
