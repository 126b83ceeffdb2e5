using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Training.Runtime;

/// <summary>What this machine's matrix products reach, in FLOP/s: the ceiling model FLOPs utilisation is measured against.</summary>
/// <param name="Fp32">fp32 GEMM.</param>
/// <param name="Bf16">bf16 GEMM (the precision technique's working type).</param>
/// <param name="Threads">Torch threads it was measured with.</param>
public sealed record PeakFlops(double Fp32, double Bf16, int Threads);

/// <summary>
/// Measures the machine's GEMM ceiling once per process and thread count: the best of 10 timed square 1024 x 1024 x 1024
/// products (2.1 GFLOP each) after two untimed, in fp32 and in bf16, written into one output tensor (a fresh 4 MB output
/// per product faults its pages in and measured 62 instead of 85 GFLOP/s), on the calling thread's torch settings
/// (~0.4 s on the reference machine). The best run is the ceiling, as for any peak: slower runs met something else.
/// </summary>
public static class MachinePeak
{
    private static readonly Dictionary<int, PeakFlops> Measured = [];
    private static readonly Lock Gate = new();

    public static PeakFlops Get()
    {
        int threads = get_num_threads();
        lock (Gate)
        {
            if (!Measured.TryGetValue(threads, out PeakFlops? peak))
            {
                peak = new PeakFlops(Best(ScalarType.Float32), Best(ScalarType.BFloat16), threads);
                Measured[threads] = peak;
            }

            return peak;
        }
    }

    /// <summary>The products timed: (m, k, n) of [m, k] x [k, n], square and the tall-skinny shapes of training batches.</summary>
    private static readonly (int M, int K, int N)[] Shapes = [(1024, 1024, 1024), (512, 512, 512), (2048, 512, 512), (256, 1024, 1024), (512, 1024, 256)];

    private static double Best(ScalarType type) => Shapes.Max(s => Measure(type, s.M, s.K, s.N));

    private static double Measure(ScalarType type, int m, int k, int n, int repeats = 10)
    {
        using DisposeScope scope = NewDisposeScope();
        using var generator = new Generator(11);
        Tensor a = rand([m, k], generator: generator).to_type(type);
        Tensor b = rand([k, n], generator: generator).to_type(type);
        Tensor c = zeros([m, n], dtype: type);
        double best = 0;
        for (int i = -2; i < repeats; i++)
        {
            long started = Stopwatch.GetTimestamp();
            c.addmm_(a, b, beta: 0, alpha: 1); // into the same output: no fresh pages to fault in

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (i >= 0)
            {
                best = Math.Max(best, 2.0 * m * k * n / seconds);
            }
        }

        return best;
    }
}
