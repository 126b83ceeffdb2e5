using System.Diagnostics;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Suites.Models;
using Tuner.Suites.Specs;
using static TorchSharp.torch;

var store = new DataStore(DataStore.DefaultRoot(null));
var suite = SuiteCatalog.Resolve("fashion-cnn");
using var data = await SuiteDataLoader.LoadAsync(suite, store, null, default);
var model = ModelFactory.Create(suite.Model, data.Train.SampleShape, 10);
model.eval();
foreach (int bs in new[] { 2048, 512, 128 })
{
    var sw = Stopwatch.StartNew();
    using (no_grad())
    {
        for (long s = 0; s < data.Eval.Count; s += bs)
        {
            using var scope = NewDisposeScope();
            var x = data.Eval.Features.narrow(0, s, Math.Min(bs, data.Eval.Count - s));
            var y = model.call(x);
        }
    }
    Console.WriteLine($"eval bs {bs}: {sw.Elapsed.TotalSeconds:0.00}s threads {get_num_threads()}");
}
