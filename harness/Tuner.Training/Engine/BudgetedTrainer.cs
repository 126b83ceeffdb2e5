using TorchSharp;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Training.Data;
using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Training.Engine;

/// <summary>
/// Trains one configuration under a budget and measures time-to-target.
/// <list type="bullet">
/// <item>The budget is checked before every batch, in its own unit (charged seconds, steps, samples or epochs).</item>
/// <item>Evaluation on the validation split runs at the first step that reaches each multiple of <c>EvalEverySamples</c>
/// training samples and at the end, with the budget clock paused: its time is reported separately and not charged
/// (AlgoPerf's rule). The test split is evaluated once after that, untimed, and never checked against the target.</item>
/// <item>The run stops at the first evaluation that reaches the target; time-to-target is the charged time then.</item>
/// <item>A NaN or infinite training loss ends the run as <see cref="TrialStatus.Diverged"/>.</item>
/// <item>Every batch runs inside its own TorchSharp dispose scope; nothing allocated in a batch outlives it.</item>
/// <item>Seeding is explicit: model initialisation, batch order and the techniques' random sources all derive from
/// the trial seed, so the same seed on one thread gives the same steps-to-target.</item>
/// </list>
/// </summary>
public static class BudgetedTrainer
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Throughput is timed in windows of at least this much charged time (consecutive batches; evaluation excluded, as
    /// the clock is paused then); the first window of a run (its start-up) is left out. See <see cref="Core.Statistics.Throughput"/>.
    /// </summary>
    public const double ThroughputWindowSeconds = 0.025;

    /// <summary>Seconds between two reads of the peak memory when a trial has a memory limit.</summary>
    public const double MemoryCheckSeconds = 0.01;

    public static TrainingOutcome Run(TrainingRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new TrainingRun(request, progress, cancellationToken);
        return run.Execute();
    }

    private sealed class TrainingRun
    {
        private readonly TrainingRequest _request;
        private readonly IProgress<TrainingProgress>? _progress;
        private readonly CancellationToken _cancellationToken;
        private readonly BudgetClock _clock;
        private readonly List<EvaluationPoint> _curve = [];
        private readonly Dictionary<(TrainingEvent Event, string Technique), int> _traceCounts = [];
        private readonly List<(TrainingEvent Event, string Technique)> _traceOrder = [];
        private readonly ITechnique[] _forward;
        private readonly ITechnique[] _reverse;
        private readonly ITrainingObserver[] _observers;
        private readonly (ILearningRateFactor Factor, string Name)[] _rateFactors;
        private TimeSpan _evalTime;
        private long _lastProgressTimestamp;
        private double? _bestMetric;
        private double _lastTrainLoss = double.NaN;
        private long _lastEvalStep = -1;
        private double? _testMetric;
        private readonly List<double> _windowRates = [];
        private double _windowStartSeconds;
        private long _windowStartSamples;
        private bool _firstWindowDone;
        private readonly List<double> _pairedRates = [];
        private readonly List<double> _referenceSteps = [];
        private double? _testLoss;

        public TrainingRun(TrainingRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            _request = request;
            _progress = progress;
            _cancellationToken = cancellationToken;
            _clock = new BudgetClock(request.Time);
            _forward = [.. request.Techniques];
            _reverse = [.. request.Techniques.Reverse()];
            _observers = [.. request.Observers];
            _rateFactors = [.. request.Techniques.OfType<ILearningRateFactor>().Select(f => (f, ((ITechnique)f).Name))];
        }

        public TrainingOutcome Execute()
        {
            TrainingRequest r = _request;
            manual_seed(r.Seed);
            nn.Module<Tensor, Tensor> model;
            try
            {
                model = r.ModelFactory();
            }
#pragma warning disable CA1031 // A model that cannot be built is the trial's failure, recorded with its reason.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return FailedBeforeStart(FirstLine(ex));
            }

            model.to(r.Device);
            model.train();
            var state = new TrainingState(model, r.Train, r.Eval, r.Configuration, r.Budget, r.Seed, r.Device)
            {
                AllowsHorizontalFlip = r.AllowsHorizontalFlip,
                Facts = r.Facts,
            };
            _lastProgressTimestamp = r.Time.GetTimestamp();
            try
            {
                return Train(state);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
#pragma warning disable CA1031 // A trial's own failure is a result (Failed with its reason), not a crash of the harness.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _clock.Pause();
                TryFitEnd(state);
                return Outcome(TrialStatus.Failed, state, null, FirstLine(ex));
            }
            finally
            {
                state.Generator.Dispose();
                state.Optimizer?.Dispose();
                state.Model.Dispose();
            }
        }

        /// <summary>After a failure, gives techniques their FitEnd so they release what they hold; a second failure there is ignored (the first is reported).</summary>
        private void TryFitEnd(TrainingState state)
        {
            try
            {
                ClearBatch(state);
                Fire(TrainingEvent.FitEnd, state);
            }
#pragma warning disable CA1031 // best-effort cleanup
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        private static TrainingOutcome FailedBeforeStart(string reason) => new()
        {
            Status = TrialStatus.Failed,
            Steps = 0,
            Samples = 0,
            Epochs = 0,
            TrainSeconds = 0,
            EvalSeconds = 0,
            FailureReason = reason,
            Curve = [],
            Trace = [],
        };

        private TrainingOutcome Train(TrainingState state)
        {
            TrainingRequest r = _request;
            (long Step, long Samples, double Seconds)? reachedAt = null;

            _clock.Start();
            Fire(TrainingEvent.FitStart, state);
            state.Optimizer = OptimizerFactory.Create(r.Configuration with { LearningRate = state.BaseLearningRate }, state.Model.parameters());
            ComposeLoss(state);
            int batchSize = Math.Max(1, state.BatchSize);
            long evalEvery = Math.Max(1, state.EvalEverySamples);
            long nextEval = evalEvery;
            bool stop = false;
            TrialStatus status = TrialStatus.NotReached;
            while (!stop)
            {
                // Everything made for this epoch (the batch order, whatever EpochStart techniques make) lives in the epoch's scope;
                // each batch has its own nested scope.
                using DisposeScope epochScope = NewDisposeScope();
                state.EpochIndices = randperm(r.Train.Count, generator: state.Generator).to(r.Device);
                Fire(TrainingEvent.EpochStart, state);
                Tensor order = state.EpochIndices ?? throw new InvalidOperationException("a technique cleared EpochIndices at EpochStart");
                long n = order.shape[0];
                state.BatchesPerEpoch = Math.Max(1, (n + batchSize - 1) / batchSize);
                state.BatchInEpoch = 0;
                for (long start = 0; start < n && !stop; start += batchSize)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    UpdateProgress(state);
                    if (state.Progress.IsExhausted(r.Budget))
                    {
                        stop = true;
                        break;
                    }

                    if (state.BudgetFraction >= r.StopAtFraction)
                    {
                        status = TrialStatus.Pruned;
                        stop = true;
                        break;
                    }

                    long length = Math.Min(batchSize, n - start);
                    bool finite = TrainBatch(state, order, start, length);
                    if (!finite)
                    {
                        status = TrialStatus.Diverged;
                        stop = true;
                        break;
                    }

                    state.BatchInEpoch++;
                    TimeWindow(state);
                    if (OverMemory(state))
                    {
                        status = TrialStatus.OverMemory;
                        stop = true;
                        break;
                    }

                    bool due = state.Progress.Samples >= nextEval;
                    if (due)
                    {
                        nextEval = ((state.Progress.Samples / evalEvery) + 1) * evalEvery; // the next multiple not yet reached
                    }

                    if (due && Evaluate(state, out double metric))
                    {
                        if (r.Target.IsReachedBy(metric))
                        {
                            reachedAt ??= (state.Step, state.Progress.Samples, state.Progress.ChargedSeconds);
                            status = TrialStatus.Reached;
                            stop = r.StopAtTarget;
                        }
                        else if (reachedAt is null && r.ShouldStop is not null && AskToStop())
                        {
                            status = TrialStatus.Pruned;
                            stop = true;
                        }
                    }
                }

                if (!stop)
                {
                    state.Epoch++;
                }
            }

            UpdateProgress(state);
            if (status is not (TrialStatus.Diverged or TrialStatus.OverMemory) && _lastEvalStep != state.Step && state.Step > 0 &&
                Evaluate(state, out double finalMetric) && r.Target.IsReachedBy(finalMetric))
            {
                reachedAt ??= (state.Step, state.Progress.Samples, state.Progress.ChargedSeconds);
                status = TrialStatus.Reached;
            }

            if (status is not (TrialStatus.Diverged or TrialStatus.OverMemory) && state.Step > 0)
            {
                EvaluateTest(state);
            }

            Fire(TrainingEvent.FitEnd, state);
            _clock.Pause();
            UpdateProgress(state);
            string? failure = status switch
            {
                TrialStatus.Diverged => $"non-finite training loss at step {state.Step + 1}",
                TrialStatus.OverMemory => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"peak memory {_overMemoryBytes / 1048576.0:0} MiB above the memory limit of {r.MemoryLimitBytes / 1048576.0:0} MiB at step {state.Step}"),
                _ => null,
            };
            return Outcome(status, state, reachedAt, failure);
        }

        /// <summary>
        /// With a memory limit: reads the process's peak resident memory after the first batch and then every
        /// <see cref="MemoryCheckSeconds"/> of wall time (reading /proc costs tens of microseconds, too much for every small
        /// step), with the clock paused. The peak is a high-water mark, so a spike between two reads is not missed.
        /// </summary>
        private bool OverMemory(TrainingState state)
        {
            if (_request.MemoryLimitBytes is not long limit)
            {
                return false;
            }

            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (state.Step > 1 && System.Diagnostics.Stopwatch.GetElapsedTime(_lastMemoryCheck, now).TotalSeconds < MemoryCheckSeconds)
            {
                return false;
            }

            _clock.Pause();
            _lastMemoryCheck = now;
            long peak = Runtime.PeakMemory.PeakRssBytes();
            _clock.Start();
            if (peak <= limit)
            {
                return false;
            }

            _overMemoryBytes = peak;
            return true;
        }

        /// <summary>
        /// Closes the throughput window once it holds <see cref="ThroughputWindowSeconds"/> of charged time (the first one,
        /// the run's start-up, is not kept). With a <see cref="TrainingRequest.ReferenceProbe"/>, the reference workload is
        /// timed at every boundary with the clock paused, and each kept window is also paired with the mean of the
        /// reference times at its two ends.
        /// </summary>
        private void TimeWindow(TrainingState state)
        {
            double charged = _clock.Charged.TotalSeconds;
            double seconds = charged - _windowStartSeconds;
            if (seconds < ThroughputWindowSeconds)
            {
                return;
            }

            double rate = (state.Progress.Samples - _windowStartSamples) / seconds;
            if (_firstWindowDone)
            {
                _windowRates.Add(rate);
            }

            if (_request.ReferenceProbe is { } probe)
            {
                _clock.Pause();
                double reference = probe();
                _clock.Start();
                if (_firstWindowDone && _referenceSteps.Count > 0)
                {
                    _pairedRates.Add(rate * (_referenceSteps[^1] + reference) / 2);
                }

                _referenceSteps.Add(reference);
            }

            _firstWindowDone = true;
            _windowStartSeconds = _clock.Charged.TotalSeconds;
            _windowStartSamples = state.Progress.Samples;
        }

        private bool TrainBatch(TrainingState state, Tensor permutation, long start, long length)
        {
            using DisposeScope scope = NewDisposeScope();
            Fire(TrainingEvent.BatchStart, state);
            Tensor indices = permutation.narrow(0, start, length);
            (state.Inputs, state.Targets) = state.BatchLoader(indices);
            state.BatchRows = indices;
            state.LearningRate = LearningRate(state);
            Fire(TrainingEvent.AfterDataLoader, state);

            long parts = state.MicroBatches > 1 ? Math.Min(state.MicroBatches, state.Inputs!.shape[0]) : 1; // no shape read on the plain path
            if (parts > 1)
            {
                if (!AccumulateMicroBatches(state, parts))
                {
                    ClearBatch(state);
                    return false;
                }
            }
            else
            {
                Fire(TrainingEvent.BeforeForward, state);
                state.Outputs = state.Model.call(state.Inputs);
                Fire(TrainingEvent.AfterForward, state);

                Fire(TrainingEvent.BeforeLoss, state);
                state.Loss = state.ComputeLoss(state.Outputs, state.Targets!);
                Fire(TrainingEvent.AfterLoss, state);

                double loss = state.Loss.ToSingle(); // 0.45 us, vs 2.5 us for item<float>()
                _lastTrainLoss = loss;
                if (!double.IsFinite(loss))
                {
                    ClearBatch(state);
                    return false;
                }

                Fire(TrainingEvent.BeforeBackward, state);
                state.Optimizer.ZeroGrad();
                state.Loss.backward();
                Fire(TrainingEvent.AfterBackward, state);
            }

            // The update path: gradient transforms (SAM, clipping) at BeforeOptimizerStep, the one optimizer step at the
            // rate the schedule set, step wrappers (lookahead, pruning masks, weight averages) at AfterOptimizerStep.
            Fire(TrainingEvent.BeforeOptimizerStep, state);
            state.Optimizer.LearningRate = state.LearningRate;
            state.Optimizer.TakeStep();
            state.OptimizerSteps++;
            state.Step++;
            UpdateProgress(state, samplesAdded: length); // step wrappers see the progress after this step
            Fire(TrainingEvent.AfterOptimizerStep, state);
            Fire(TrainingEvent.BatchEnd, state);
            ClearBatch(state);
            return true;
        }

        /// <summary>
        /// Gradient accumulation (<see cref="TrainingState.MicroBatches"/>): forward, loss and backward on each of
        /// <paramref name="parts"/> consecutive parts of the batch, each part's mean loss scaled by its share of the rows,
        /// gradients summed; afterwards the state holds the whole batch again and its loss (no graph). False when a part's
        /// loss is not finite.
        /// </summary>
        private bool AccumulateMicroBatches(TrainingState state, long parts)
        {
            Tensor inputs = state.Inputs!, targets = state.Targets!;
            Tensor? rows = state.BatchRows;
            long total = inputs.shape[0];
            double loss = 0;
            state.Optimizer.ZeroGrad();
            for (long part = 0; part < parts; part++)
            {
                using DisposeScope micro = NewDisposeScope();
                long first = total * part / parts, count = (total * (part + 1) / parts) - first;
                state.Inputs = inputs.narrow(0, first, count);
                state.Targets = targets.narrow(0, first, count);
                state.BatchRows = rows?.narrow(0, first, count);
                Fire(TrainingEvent.BeforeForward, state);
                state.Outputs = state.Model.call(state.Inputs);
                Fire(TrainingEvent.AfterForward, state);

                Fire(TrainingEvent.BeforeLoss, state);
                state.Loss = state.ComputeLoss(state.Outputs, state.Targets);
                Fire(TrainingEvent.AfterLoss, state);
                double partLoss = state.Loss.ToSingle();
                if (!double.IsFinite(partLoss))
                {
                    _lastTrainLoss = partLoss;
                    return false;
                }

                loss += partLoss * count / total;
                Fire(TrainingEvent.BeforeBackward, state);
                state.Loss.mul((double)count / total).backward();
                Fire(TrainingEvent.AfterBackward, state);
                state.Outputs = null;
                state.Loss = null;
            }

            state.Inputs = inputs;
            state.Targets = targets;
            state.BatchRows = rows;
            state.Loss = tensor((float)loss);
            _lastTrainLoss = loss;
            return true;
        }

        /// <summary>The step's rate: the base rate times every learning-rate technique's factor, in the declared order.</summary>
        private double LearningRate(TrainingState state)
        {
            double rate = state.BaseLearningRate;
            if (_rateFactors.Length == 0)
            {
                return rate;
            }

            var factors = new (string, double)[_rateFactors.Length];
            for (int i = 0; i < _rateFactors.Length; i++)
            {
                (ILearningRateFactor technique, string name) = _rateFactors[i];
                double factor = technique.LearningRateFactor(state);
                factors[i] = (name, factor);
                rate *= factor;
                Count(TrainingEvent.AfterDataLoader, "LearningRate", name);
            }

            state.LearningRateFactors = factors;
            return rate;
        }

        /// <summary>Builds the loss chain once: per-sample cross-entropy, wrapped by each loss technique in the declared order.</summary>
        private void ComposeLoss(TrainingState state)
        {
            var wrappers = _forward.OfType<ILossWrapper>().ToList();
            state.LossChain = [.. wrappers.Select(w => ((ITechnique)w).Name)];
            if (wrappers.Count == 0)
            {
                state.SetLoss(TrainingState.CrossEntropyMean); // the fused mean: same value, one kernel
                return;
            }

            SampleLoss chain = TrainingState.CrossEntropyPerSample;
            foreach (ILossWrapper wrapper in wrappers)
            {
                chain = wrapper.WrapLoss(chain, state);
            }

            state.SetLoss((outputs, targets) =>
            {
                foreach (string name in state.LossChain)
                {
                    Count(TrainingEvent.BeforeLoss, "Loss", name);
                }

                using Tensor perSample = chain(outputs, targets);
                return perSample.mean();
            });
        }

        private static void ClearBatch(TrainingState state)
        {
            state.Inputs = null;
            state.Targets = null;
            state.BatchRows = null;
            state.Outputs = null;
            state.Loss = null;
        }

        /// <summary>Evaluates on the validation split with the budget clock paused. False when evaluation itself failed to produce a number.</summary>
        private bool Evaluate(TrainingState state, out double metric)
        {
            TrainingRequest r = _request;
            UpdateProgress(state);
            _clock.Pause();
            long started = r.Time.GetTimestamp();
            (metric, double loss) = Measure(state, r.Eval);
            _evalTime += r.Time.GetElapsedTime(started);
            _lastEvalStep = state.Step;
            _bestMetric = r.Target.Best(_bestMetric, metric);
            _curve.Add(new EvaluationPoint(state.Step, state.Progress.Samples, state.Progress.ChargedSeconds, metric, loss, _lastTrainLoss));
            _progress?.Report(Snapshot(state, metric));
            _clock.Start();
            return true;
        }

        /// <summary>The one evaluation on the test split, after the last validation, with the clock paused and its time not counted anywhere.</summary>
        private void EvaluateTest(TrainingState state)
        {
            if (_request.Test is not TensorDataset test)
            {
                return;
            }

            _clock.Pause();
            state.EvaluatingTest = true;
            try
            {
                (double metric, double loss) = Measure(state, test);
                _testMetric = metric;
                _testLoss = loss;
            }
            finally
            {
                state.EvaluatingTest = false;
                _clock.Start();
            }
        }

        private long _lastMemoryCheck;
        private long _overMemoryBytes;

        /// <summary>Tokens per evaluation batch of a token split.</summary>
        private const long EvalTokens = 8192;

        /// <summary>The target's metric (accuracy, or the mean loss for a loss target) and the mean loss of the model on <paramref name="split"/>, between EvalStart and EvalEnd (weight averages swap in there).</summary>
        private (double Metric, double Loss) Measure(TrainingState state, TensorDataset split)
        {
            TrainingRequest r = _request;
            Fire(TrainingEvent.EvalStart, state);
            state.Model.eval();
            long correct = 0;
            double lossSum = 0;
            long count = split.Count;
            long predictions = 0;
            using (no_grad())
            {
                // Sequences: at most EvalTokens tokens a batch (a [512, heads, T, T] attention would take gigabytes).
                long rows = split.IsTokens ? Math.Clamp(EvalTokens / split.SampleShape[0], 1, r.EvalBatchSize) : r.EvalBatchSize;
                for (long start = 0; start < count; start += rows)
                {
                    using DisposeScope scope = NewDisposeScope();
                    long length = Math.Min(rows, count - start);
                    Tensor x = split.Slice(start, length);
                    Tensor y = split.Labels.narrow(0, start, length);
                    Tensor logits = state.Model.call(x);
                    if (logits.dim() == 3)
                    {
                        // A sequence model: every position is a prediction; loss and accuracy are per token.
                        logits = logits.reshape(-1, logits.shape[2]);
                        y = y.reshape(-1);
                    }

                    lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                    predictions += y.shape[0];
                }
            }

            state.Model.train();
            Fire(TrainingEvent.EvalEnd, state);
            if (count == 0)
            {
                return (0, 0);
            }

            double meanLoss = lossSum / predictions;
            return (Core.Trials.TargetMetrics.FromLoss(r.Target.Metric, meanLoss, (double)correct / predictions), meanLoss);
        }

        /// <summary>Asks the request's ShouldStop with the clock paused (a pruner's decision, or a round trip to a host, is not training).</summary>
        private bool AskToStop()
        {
            _clock.Pause();
            try
            {
                return _request.ShouldStop!(_curve);
            }
            finally
            {
                _clock.Start();
            }
        }

        private void UpdateProgress(TrainingState state, long samplesAdded = 0)
        {
            long samples = state.Progress.Samples + samplesAdded;
            state.Progress = new BudgetProgress(_clock.Charged.TotalSeconds, state.Step, samples, (double)samples / _request.Train.Count);
            state.BudgetFraction = state.Progress.FractionOf(_request.Budget);
            TrainingConfiguration c = _request.Configuration;
            state.ScheduleFraction = Math.Min(1.0, c.HorizonSamples is long horizon ? (double)samples / horizon : state.BudgetFraction / c.HorizonFraction);
            if (_progress is not null && samplesAdded > 0 && _request.Time.GetElapsedTime(_lastProgressTimestamp) >= ProgressInterval)
            {
                _lastProgressTimestamp = _request.Time.GetTimestamp();
                _progress.Report(Snapshot(state, _curve.Count > 0 ? _curve[^1].Metric : null));
            }
        }

        private TrainingProgress Snapshot(TrainingState state, double? lastMetric) =>
            new(state.Step, state.Progress.Samples, state.BudgetFraction, state.Progress.ChargedSeconds, _lastTrainLoss, lastMetric, _bestMetric);

        private void Fire(TrainingEvent trainingEvent, TrainingState state)
        {
            ITechnique[] order = trainingEvent.RunsInReverse() ? _reverse : _forward;
            bool observed = _observers.Length > 0;
            if (observed)
            {
                Notify(trainingEvent, ObservationPoint.EventStart, null, state);
            }

            foreach (ITechnique technique in order)
            {
                if (!technique.Matches(trainingEvent, state))
                {
                    continue;
                }

                if (observed)
                {
                    Notify(trainingEvent, ObservationPoint.BeforeTechnique, technique, state);
                }

                technique.Apply(trainingEvent, state);
                if (observed)
                {
                    Notify(trainingEvent, ObservationPoint.AfterTechnique, technique, state);
                }

                Count(trainingEvent, trainingEvent.ToString(), technique.Name);
            }

            if (observed)
            {
                Notify(trainingEvent, ObservationPoint.EventEnd, null, state);
            }
        }

        private void Notify(TrainingEvent trainingEvent, ObservationPoint point, ITechnique? technique, TrainingState state)
        {
            foreach (ITrainingObserver observer in _observers)
            {
                observer.Observe(trainingEvent, point, technique, state);
            }
        }

        /// <summary>Counts one action for the trace: "Event:technique xN", "LearningRate:cosine xN" (a factor of the step's rate), "Loss:mixup xN" (a wrapper in a loss computation).</summary>
        private void Count(TrainingEvent trainingEvent, string label, string technique)
        {
            var key = (trainingEvent, label + ":" + technique);
            if (_traceCounts.TryGetValue(key, out int count))
            {
                _traceCounts[key] = count + 1;
            }
            else
            {
                _traceCounts[key] = 1;
                _traceOrder.Add(key);
            }
        }

        private TrainingOutcome Outcome(TrialStatus status, TrainingState state, (long Step, long Samples, double Seconds)? reachedAt, string? failure)
        {
            _clock.Pause();
            return new TrainingOutcome
            {
                Status = status,
                TimeToTargetSeconds = reachedAt?.Seconds,
                StepsToTarget = reachedAt?.Step,
                SamplesToTarget = reachedAt?.Samples,
                BestMetric = _bestMetric,
                FinalMetric = _curve.Count > 0 ? _curve[^1].Metric : null,
                FinalTrainLoss = double.IsNaN(_lastTrainLoss) ? null : _lastTrainLoss,
                TestMetric = status is TrialStatus.Diverged or TrialStatus.Failed or TrialStatus.OverMemory ? null : _testMetric,
                TestLoss = status is TrialStatus.Diverged or TrialStatus.Failed or TrialStatus.OverMemory ? null : _testLoss,
                TestRows = _request.Test?.Count,
                Throughput = Core.Statistics.Throughput.Steady(_windowRates),
                ThroughputWindows = _windowRates.Count,
                PairedThroughput = Core.Statistics.Throughput.Steady(_pairedRates, bothSides: true),
                ReferenceStepSeconds = _referenceSteps.Count == 0 ? null : Core.Statistics.Robust.Median([.. _referenceSteps]),
                ValidationRows = _request.Eval.Count,
                Steps = state.Step,
                OptimizerSteps = state.OptimizerSteps,
                Samples = state.Progress.Samples,
                Epochs = state.Progress.Epochs,
                TrainSeconds = _clock.Charged.TotalSeconds,
                EvalSeconds = _evalTime.TotalSeconds,
                FailureReason = failure,
                Curve = [.. _curve],
                Trace = [.. _traceOrder.Select(k => $"{k.Technique} x{_traceCounts[k]}")],
            };
        }

        private static string FirstLine(Exception ex) => Core.Errors.ExceptionText.Describe(ex);
    }
}
