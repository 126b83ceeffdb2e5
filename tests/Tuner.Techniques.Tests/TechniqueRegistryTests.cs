using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Techniques.Budget.BudgetLinearDecay;
using Tuner.Techniques.Optimization.GradientClipping;
using Tuner.Techniques.Optimization.LabelSmoothing;
using Tuner.Techniques.Optimization.LinearWarmup;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Tests;

public sealed class TechniqueRegistryTests
{
    [Fact]
    public void Parse_NameWithOption_KeepsTheOptionAndBuildsTheTechniqueWithIt()
    {
        TechniqueSpec spec = TechniqueRegistry.Parse("label_smoothing:alpha=0.2");

        Assert.Equal("label_smoothing", spec.Name);
        Assert.Equal("0.2", Assert.Single(spec.Options, kv => kv.Key == "alpha").Value);
        Assert.Equal(0.2, Assert.IsType<LabelSmoothingTechnique>(TechniqueRegistry.Create(spec)).Alpha);
    }

    [Fact]
    public void Parse_CaseHyphensAndSpaces_AreNormalised()
    {
        TechniqueSpec spec = TechniqueRegistry.Parse("  Grad-Clip : MAX_NORM = 2.5 ");

        Assert.Equal(new TechniqueSpec("grad_clip", new Dictionary<string, string> { ["max_norm"] = "2.5" }), spec);
    }

    [Fact]
    public void Parse_SeveralOptionsOfOneTechnique_AreAllKept()
    {
        TechniqueSpec spec = TechniqueRegistry.Parse("warmup:steps=7,");

        Assert.Equal("warmup:steps=7", spec.ToString());
        Assert.Equal(7, Assert.IsType<LinearWarmupTechnique>(TechniqueRegistry.Create(spec)).Steps);
    }

    [Fact]
    public void Parse_ToStringOfParsedSpec_GivesTheSameSpec()
    {
        TechniqueSpec spec = TechniqueRegistry.Parse("budget_linear_decay:min_factor=0.1");

        Assert.Equal(spec, TechniqueRegistry.Parse(spec.ToString()));
    }

    [Fact]
    public void Create_NoOptions_UsesTheDocumentedDefaults()
    {
        Assert.Equal(0.1, Assert.IsType<LabelSmoothingTechnique>(TechniqueRegistry.Create(TechniqueRegistry.Parse("label_smoothing"))).Alpha);
        Assert.Equal(100, Assert.IsType<LinearWarmupTechnique>(TechniqueRegistry.Create(TechniqueRegistry.Parse("warmup"))).Steps);
        Assert.Equal(1.0, Assert.IsType<GradientClippingTechnique>(TechniqueRegistry.Create(TechniqueRegistry.Parse("grad_clip"))).MaxNorm);
        Assert.Equal(0.0, Assert.IsType<BudgetLinearDecayTechnique>(TechniqueRegistry.Create(TechniqueRegistry.Parse("budget_linear_decay"))).MinFactor);
    }

    [Fact]
    public void All_Descriptors_HaveUniqueNamesDocumentationAndCreateTheirOwnTechnique()
    {
        Assert.Equal(TechniqueRegistry.All.Count, TechniqueRegistry.All.Select(d => d.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (TechniqueDescriptor descriptor in TechniqueRegistry.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Summary));
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Paper));
            Assert.All(descriptor.OptionHelp(), v => Assert.Contains("default", v, StringComparison.Ordinal));
            ITechnique technique = TechniqueRegistry.Create(TechniqueSpec.Of(descriptor.Name));
            Assert.Equal(descriptor.Name, technique.Name);
            Assert.Equal(descriptor.Category, technique.Category);
            Assert.Same(descriptor, TechniqueRegistry.Find(descriptor.Name.ToUpperInvariant()));
        }
    }

    [Fact]
    public void Parse_UnknownTechnique_ThrowsOneLineErrorListingTheTechniques()
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse("hyperdrive:alpha=0.2"));

        OneLineAssert.Message(ex, "unknown technique 'hyperdrive'");
        Assert.All(TechniqueRegistry.All, d => Assert.Contains(d.Name, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownOption_ThrowsOneLineErrorNamingTechniqueOptionAndValidOptions()
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse("label_smoothing:beta=0.2"));

        OneLineAssert.Message(ex, "technique label_smoothing", "unknown option 'beta'", "valid options are alpha");
    }

    [Theory]
    [InlineData("warmup:steps", "warmup", "'steps'")]
    [InlineData("warmup:=5", "warmup", "'=5'")]
    [InlineData("grad_clip:max_norm=", "grad_clip", "'max_norm='")]
    public void Parse_MalformedOption_ThrowsOneLineErrorNamingTechniqueAndOption(string text, string technique, string option)
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse(text));

        OneLineAssert.Message(ex, $"technique {technique}", "malformed option", option, "key=value");
    }

    [Theory]
    [InlineData("label_smoothing:alpha=1", "label_smoothing", "alpha='1'")]
    [InlineData("label_smoothing:alpha=-0.1", "label_smoothing", "alpha='-0.1'")]
    [InlineData("label_smoothing:alpha=lots", "label_smoothing", "alpha='lots'")]
    [InlineData("warmup:steps=0", "warmup", "steps='0'")]
    [InlineData("warmup:steps=1.5", "warmup", "steps='1.5'")]
    [InlineData("warmup:steps=1000001", "warmup", "steps='1000001'")]
    [InlineData("grad_clip:max_norm=0", "grad_clip", "max_norm='0'")]
    [InlineData("grad_clip:max_norm=NaN", "grad_clip", "max_norm='NaN'")]
    [InlineData("budget_linear_decay:min_factor=1", "budget_linear_decay", "min_factor='1'")]
    public void Parse_OutOfRangeOption_ThrowsOneLineErrorNamingTechniqueOptionAndRange(string text, string technique, string option)
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse(text));

        OneLineAssert.Message(ex, $"technique {technique}", $"option {option}", "expected a");
    }

    [Theory]
    [InlineData("label_smoothing:alpha=0")]
    [InlineData("label_smoothing:alpha=0.999")]
    [InlineData("warmup:steps=1")]
    [InlineData("warmup:steps=1000000")]
    [InlineData("grad_clip:max_norm=1e-6")]
    [InlineData("budget_linear_decay:min_factor=0")]
    public void Parse_OptionAtTheEdgeOfItsRange_IsAccepted(string text)
    {
        TechniqueSpec spec = TechniqueRegistry.Parse(text);

        Assert.NotNull(TechniqueRegistry.Create(spec));
    }

    [Fact]
    public void Validate_SameTechniqueTwice_ThrowsOneLineErrorNamingIt()
    {
        TechniqueSpec[] specs = [TechniqueRegistry.Parse("warmup:steps=5"), TechniqueRegistry.Parse("label_smoothing"), TechniqueRegistry.Parse("warmup")];

        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate(specs));
        var fromCreate = Assert.Throws<TunerInputException>(() => TechniqueRegistry.CreateAll(specs));

        OneLineAssert.Message(ex, "technique warmup is given twice");
        Assert.Equal(ex.Message, fromCreate.Message);
    }

    [Fact]
    public void Validate_SameTechniqueInOtherCase_IsStillADuplicate()
    {
        TechniqueSpec[] specs = [TechniqueSpec.Of("grad_clip"), TechniqueSpec.Of("GRAD_CLIP")];

        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate(specs));

        OneLineAssert.Message(ex, "technique grad_clip is given twice");
    }

    [Fact]
    public void Validate_UnknownTechniqueInSpecs_ThrowsOneLineError()
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of("cutout")]));

        OneLineAssert.Message(ex, "unknown technique 'cutout'");
    }

    [Fact]
    public void CreateAll_DistinctTechniques_BuildsThemInOrderWithTheirOptions()
    {
        IReadOnlyList<ITechnique> techniques = TechniqueRegistry.CreateAll(
            [TechniqueRegistry.Parse("budget_linear_decay:min_factor=0.25"), TechniqueRegistry.Parse("warmup:steps=3"), TechniqueRegistry.Parse("grad_clip")]);

        Assert.Equal(["budget_linear_decay", "warmup", "grad_clip"], techniques.Select(t => t.Name));
        Assert.Equal(0.25, Assert.IsType<BudgetLinearDecayTechnique>(techniques[0]).MinFactor);
        Assert.Equal(3, Assert.IsType<LinearWarmupTechnique>(techniques[1]).Steps);
    }

    [Fact]
    public void Create_SpecWithUnknownOptionBuiltInCode_IsRejectedToo()
    {
        var spec = new TechniqueSpec("warmup", new Dictionary<string, string> { ["step"] = "5" });

        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Create(spec));

        OneLineAssert.Message(ex, "technique warmup", "unknown option 'step'", "valid options are steps");
    }

    [Fact]
    public void CreateAll_AnyListingOrder_BuildsTheTechniquesInTheLibrarysOrder()
    {
        TechniqueSpec[] listed = [TechniqueRegistry.Parse("ema"), TechniqueRegistry.Parse("mixup"), TechniqueRegistry.Parse("warmup"), TechniqueRegistry.Parse("label_smoothing"), TechniqueRegistry.Parse("precision")];

        string[] built = [.. TechniqueRegistry.CreateAll(listed).Select(t => t.Name)];
        string[] reversed = [.. TechniqueRegistry.CreateAll([.. listed.Reverse()]).Select(t => t.Name)];

        Assert.Equal(["precision", "label_smoothing", "mixup", "warmup", "ema"], built);
        Assert.Equal(built, reversed);
        Assert.Equal(built, TechniqueRegistry.Canonical(listed).Select(s => s.Name));
    }

    [Theory]
    [InlineData("nesterov")]
    [InlineData("adam")]
    [InlineData("lars")]
    public void Parse_AnOptimizersName_SaysItIsAnOptimizerAndHowToChooseIt(string name)
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse(name));

        OneLineAssert.Message(ex, $"'{name}' is an optimizer, not a technique", $"--set optimizer={name}");
    }

    [Theory]
    [InlineData("progressive_resizing", "digits-mlp", "accepts smaller images")]
    [InlineData("stochastic_depth", "fashion-mlp", "residual blocks")]
    [InlineData("init_fixup", "digits-cnn", "residual blocks")]
    [InlineData("channels_last", "digits-resmlp", "convolutions")]
    public void Validate_TechniqueTheSuiteCannotRun_IsOneLineNamingSuiteNeedAndWhereToLook(string technique, string suite, string need)
    {
        var spec = Suites.Specs.SuiteCatalog.Resolve(suite);

        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of(technique)], spec.Facts, suite));

        OneLineAssert.Message(ex, $"technique {technique} does not apply to suite {suite}", need, $"tuner list techniques --suite {suite}");
    }

    [Fact]
    public void Parse_OptionGivenTwice_IsOneLineError()
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse("ema:decay=0.9,decay=0.99"));

        OneLineAssert.Message(ex, "technique ema", "option decay is given twice");
    }

    [Fact]
    public void Validate_ConflictingPair_NamesBothAndWhy()
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of("swa"), TechniqueSpec.Of("ema")]));

        OneLineAssert.Message(ex, "techniques ema and swa conflict", "both evaluate an average of the weights", "use one of them");
    }
}
