namespace Tuner.Techniques;
