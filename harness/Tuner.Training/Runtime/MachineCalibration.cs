using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Training.Runtime;

/// <summary>
/// The machine's speed right now, measured with a fixed workload written in plain TorchSharp, independent of the
/// engine and the techniques: training steps of an MLP 784-256-10 on one random batch of 128 (seeded), SGD. It
/// reseeds torch's global generator (nightly trials seed their own). A change
/// in Tuner's code does not move it; a busier or slower machine does. Uses the calling thread's torch settings.
/// </summary>
public static class MachineCalibration
{
    /// <summary>Median seconds per step over <paramref name="steps"/> timed steps after 5 warm-up steps (about 50 ms on the reference machine).</summary>
    public static double MeasureStepSeconds(int steps = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);

        // Model, optimizer and data live outside any dispose scope (as in the engine): a scope would also own the
        // parameters and the optimizer's state and free them under the optimizer. Each step has its own scope.
        manual_seed(7);
        using var model = nn.Sequential(("in", nn.Linear(784, 256)), ("act", nn.ReLU()), ("out", nn.Linear(256, 10)));
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using Tensor x = rand([128, 784]);
        using Tensor y = randint(0, 10, [128]);
        var times = new double[steps];
        for (int i = -5; i < steps; i++)
        {
            long started = Stopwatch.GetTimestamp();
            using (DisposeScope step = NewDisposeScope())
            {
                Tensor loss = nn.functional.cross_entropy(model.call(x), y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                _ = loss.ToSingle();
            }

            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
        }

        Array.Sort(times);
        return times[steps / 2];
    }
}
