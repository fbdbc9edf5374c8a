namespace PostGate.Rules.Tests.TestSupport;

/// <summary>Runs the same read on several threads at once, for values made when first read.</summary>
internal static class Threads
{
    public static T[] ReadAtOnce<T>(Func<T> read, int threads = 8)
    {
        var results = new T[threads];
        using var start = new Barrier(threads);
        var running = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            results[t] = read();
        })).ToArray();
        foreach (var thread in running)
        {
            thread.Start();
        }

        foreach (var thread in running)
        {
            thread.Join();
        }

        return results;
    }
}
