using Tuner.Training.Engine;

namespace Tuner.Techniques.Data;

/// <summary>The check image-only techniques make at FitStart.</summary>
public static class ImageInputs
{
    /// <summary>Throws a one-line <see cref="InvalidOperationException"/> naming the technique unless the train inputs are images [N, channels, height, width].</summary>
    public static void Require(string technique, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        long[] sample = state.Train.SampleShape;
        if (sample.Length != 3)
        {
            throw new InvalidOperationException(
                $"technique {technique} needs image inputs [N, channels, height, width]; this suite's inputs have shape [N, {string.Join(", ", sample)}]: use it on an image suite such as fashion-cnn");
        }
    }
}
