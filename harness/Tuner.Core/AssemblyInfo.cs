namespace Tuner.Core;
