using Tuner.Techniques.Budget.BudgetLinearDecay;
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
            [],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["min_factor"] = "floor as a fraction of lr, [0, 1), default 0" },
            o => new BudgetLinearDecayTechnique(o.Number("min_factor", 0, 0, 0.999)))
        {
            Folder = "BudgetLinearDecay",
            Contract = TechniqueContract.On("digits-mlp"),
        },
    ];
}
