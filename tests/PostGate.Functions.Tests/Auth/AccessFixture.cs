using NSubstitute.Extensions;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;

namespace PostGate.Functions.Tests.Auth;

/// <summary>
/// Two gates with keys for every keyed caller: one that trusts the App Service principal header, as in Azure, and
/// one that does not, as anywhere else. Their decision logs answer every read, so an admitted caller gets 200.
/// </summary>
public sealed class AccessFixture : IDisposable
{
    public static readonly string DecisionId = Keys.NewDecisionId(GateApp.Start);

    public AccessFixture()
    {
        Keyed = GateApp.WithAuth(Callers.Keys(trustAppServicePrincipal: false));
        Trusting = GateApp.WithAuth(Callers.Keys(trustAppServicePrincipal: true));
        Reset();
    }

    public GateApp Keyed { get; }

    public GateApp Trusting { get; }

    internal GateApp For(Caller caller) => Callers.NeedsTrust(caller) ? Trusting : Keyed;

    public void Reset()
    {
        foreach (var app in new[] { Keyed, Trusting })
        {
            app.Reset();

            // NOTE: by return type, so the answers hold whatever the read methods' parameters become.
            app.Log.ReturnsForAll(Task.FromResult<DecisionResponse?>(Decision("acme")));
            app.Log.ReturnsForAll(Task.FromResult(new DecisionPageResponse([Decision("acme")], null)));
            app.Log.ReturnsForAll(Task.FromResult(new ChainReport("acme", Intact: true, Decisions: 1, HeadHash: "00", FirstBreak: null)));
        }
    }

    public void Dispose()
    {
        Keyed.Dispose();
        Trusting.Dispose();
    }

    public static DecisionResponse Decision(string accountId) =>
        new(
            DecisionId,
            accountId,
            "d-1",
            "coach",
            [],
            [],
            "2026.1",
            GateApp.Start,
            Logged: true,
            new DraftResponse(accountId, "x", "Our winter menu is out.", GateApp.Start.AddDays(1), "d-1", "sam", null, null, [], 0));
}
