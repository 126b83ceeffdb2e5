using Tuner.Techniques.Budget.BudgetLinearDecay;
using Tuner.Techniques.Budget.Rex;
using Tuner.Techniques.Optimization.Cosine;
using Tuner.Techniques.Optimization.OneCycle;
using Tuner.Techniques.Optimization.StepSchedule;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Budget;

/// <summary>Budgeted-training techniques (survey section 6): schedules that read the elapsed budget fraction.</summary>
public static class BudgetTechniques
{
    public static IReadOnlyList<TechniqueDescriptor> All { get; } =
    [
        new(
            BudgetLinearDecayTechnique.TechniqueName,
            TechniqueCategory.Budget,
            "Learning rate decays linearly to zero at the end of the budget (in the budget's own unit).",
            "Li, Yumer and Ramanan, Budgeted Training, ICLR 2020",
            [CosineTechnique.TechniqueName, OneCycleTechnique.TechniqueName, StepScheduleTechnique.TechniqueName, RexTechnique.TechniqueName],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["min_factor"] = "floor as a fraction of lr, [0, 1), default 0" },
            o => new BudgetLinearDecayTechnique(o.Number("min_factor", 0, 0, 0.999)))
        {
            Folder = "BudgetLinearDecay",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            RexTechnique.TechniqueName,
            TechniqueCategory.Budget,
            "Learning rate follows the REX profile base * (1 - f) / (0.5 + 0.5 * (1 - f)) of the elapsed budget fraction f (in the budget's own unit).",
            "Chen, Wolfe and Kyrillidis, REX: Revisiting Budgeted Training with an Improved Schedule, MLSys 2022",
            [BudgetLinearDecayTechnique.TechniqueName, CosineTechnique.TechniqueName, OneCycleTechnique.TechniqueName, StepScheduleTechnique.TechniqueName],
            new SortedDictionary<string, string>(StringComparer.Ordinal),
            _ => new RexTechnique())
        {
            Folder = "Rex",
            Contract = TechniqueContract.On("digits-mlp"),
        },
    ];
}
