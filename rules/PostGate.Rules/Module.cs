using System.Runtime.CompilerServices;

// NOTE: stack buffers and locals are not zeroed on entry: every stackalloc in this assembly is written before it is
// read, or cleared where it must start at zero; the evaluation path takes several per post.
[module: SkipLocalsInit]
