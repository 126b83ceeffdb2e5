namespace Tuner.Techniques.Tests;
