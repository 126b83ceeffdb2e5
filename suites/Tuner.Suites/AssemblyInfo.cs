namespace Tuner.Suites;
