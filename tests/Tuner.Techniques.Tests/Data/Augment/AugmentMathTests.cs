using Tuner.Techniques.Data.Augment;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.Augment;

public sealed class AugmentMathTests
{
    public AugmentMathTests() => TorchSharp.torch.set_num_threads(1);

    [Fact]
    public void Translate_TwoImagesWithTheirOwnShifts_MovesEachAndFillsWhatIsUncovered()
    {
        using var scope = NewDisposeScope();
        Tensor images = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, [2, 1, 3, 3]);

        // Image 0 moves down 1 and left 1; image 1 moves right 2.
        float[] moved = DataTestSupport.Floats(AugmentMath.Translate(images, tensor(new long[] { 1, 0 }), tensor(new long[] { -1, 2 }), 2, -1.0));

        Assert.Equal([-1, -1, -1, 2, 3, -1, 5, 6, -1, -1, -1, 1, -1, -1, 4, -1, -1, 7], moved);
    }

    [Fact]
    public void Translate_ZeroShifts_ReturnsACopyOfTheImages()
    {
        using var scope = NewDisposeScope();
        Tensor images = randn(3, 2, 5, 5, generator: new Generator(1));
        Tensor none = zeros(3, ScalarType.Int64);

        Assert.Equal(DataTestSupport.Floats(images), DataTestSupport.Floats(AugmentMath.Translate(images, none, none, 2, 0.0)));
    }

    [Fact]
    public void FlipHorizontally_Mask_MirrorsOnlyTheSelectedImages()
    {
        using var scope = NewDisposeScope();
        Tensor images = tensor(new float[] { 1, 2, 3, 4, 1, 2, 3, 4 }, [2, 1, 2, 2]);

        float[] flipped = DataTestSupport.Floats(AugmentMath.FlipHorizontally(images, tensor(new[] { true, false })));

        Assert.Equal([2, 1, 4, 3, 1, 2, 3, 4], flipped);
    }
}
