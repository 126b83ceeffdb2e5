namespace Tuner.Training.Engine;

/// <summary>The five families of the survey "On Efficient Training of Large-Scale Deep Learning Models" (arXiv 2304.03589).</summary>
public enum TechniqueCategory
{
    Data,
    Model,
    Optimization,
    Budget,
    System,
}
