using Tuner.Techniques.Data.CutMix;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.CutMix;

public sealed class CutMixMathTests
{
    public CutMixMathTests() => TorchSharp.torch.set_num_threads(1);

    [Fact]
    public void Box_InsideTheImage_HasSideSqrtOfOneMinusLambdaAroundTheCentre()
    {
        // lambda 0.75: side ratio 0.5, a 14 x 14 box centred at row 10, column 20 of a 28 x 28 image.
        CutMixBox box = CutMixMath.Box(28, 28, 0.75, 10, 20);

        Assert.Equal(new CutMixBox(3, 13, 14, 14), box);
        Assert.Equal(0.75, CutMixMath.Lambda(box, 28, 28), 12);
    }

    [Fact]
    public void Box_AtACorner_IsClippedAndLambdaCountsOnlyThePastedArea()
    {
        CutMixBox box = CutMixMath.Box(28, 28, 0.75, 0, 27);

        Assert.Equal(new CutMixBox(0, 20, 7, 8), box); // rows [0, 7), columns [20, 28)
        Assert.Equal(1 - (56 / 784.0), CutMixMath.Lambda(box, 28, 28), 12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public void Box_ExtremeLambda_IsEmptyOrTheWholeImage(double lambda)
    {
        CutMixBox box = CutMixMath.Box(8, 8, lambda, 4, 4);

        Assert.Equal(lambda == 1.0 ? 0 : 64, box.Area);
        Assert.Equal(lambda, CutMixMath.Lambda(box, 8, 8), 12);
    }

    [Fact]
    public void Paste_SmallImages_ReplacesTheBoxWithThePartnersPixelsAndKeepsTheRest()
    {
        using var scope = NewDisposeScope();
        Tensor images = arange(2 * 1 * 4 * 4, ScalarType.Float32).reshape(2, 1, 4, 4); // image 0: 0..15, image 1: 16..31
        var box = new CutMixBox(1, 2, 2, 2); // rows 1-2, columns 2-3

        float[] mixed = DataTestSupport.Floats(CutMixMath.Paste(images, tensor(new long[] { 1, 0 }), box));

        for (int image = 0; image < 2; image++)
        {
            for (int row = 0; row < 4; row++)
            {
                for (int column = 0; column < 4; column++)
                {
                    bool inBox = row is >= 1 and < 3 && column is >= 2 and < 4;
                    int source = inBox ? 1 - image : image;
                    Assert.Equal((source * 16) + (row * 4) + column, mixed[(image * 16) + (row * 4) + column]);
                }
            }
        }

        Assert.Equal(6f, images[0, 0, 1, 2].item<float>()); // the input itself is not modified
    }
}
