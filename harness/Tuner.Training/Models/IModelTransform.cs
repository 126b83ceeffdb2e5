namespace Tuner.Training.Models;

/// <summary>A technique that changes the model's architecture before it is built (width or depth scaling).</summary>
public interface IModelTransform
{
    ModelSpec Transform(ModelSpec spec);
}
