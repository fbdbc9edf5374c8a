namespace PostGate.Rules.Engine;

/// <summary>Values made on first read and shared by every reader, whichever thread made them first.</summary>
internal static class Published
{
    /// <summary>
    /// Stores <paramref name="made"/> in <paramref name="field"/> unless another thread stored a value first, and
    /// returns the stored one. Callers read the field first (<c>Volatile.Read(ref field) ?? Published.Once(ref field,
    /// Make())</c>), so the value is made only while the field is empty, and without a delegate.
    /// </summary>
    public static T Once<T>(ref T? field, T made)
        where T : class =>
        Interlocked.CompareExchange(ref field, made, null) ?? made;
}
