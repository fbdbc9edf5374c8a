using System.Security.Claims;

namespace PostGate.Functions.Auth;

/// <summary>
/// A principal made once and shared by many requests (every request of one API key). It refuses changes to its
/// identities and claims, since a change made for one request would show in every other.
/// </summary>
internal sealed class SharedPrincipal : ClaimsPrincipal
{
    public SharedPrincipal(IEnumerable<Claim> claims, string authenticationType)
        : base(new SharedIdentity(claims, authenticationType))
    {
    }

    public override void AddIdentity(ClaimsIdentity identity) => throw SharedIdentity.Refused();

    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities) => throw SharedIdentity.Refused();

    private sealed class SharedIdentity : ClaimsIdentity
    {
        private readonly bool _made;

        public SharedIdentity(IEnumerable<Claim> claims, string authenticationType)
            : base(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role)
        {
            _made = true;
        }

        public static InvalidOperationException Refused() =>
            new("This principal is shared between requests and cannot be changed; make a new one with the claims needed.");

        public override void AddClaim(Claim claim)
        {
            RefuseOnceMade();
            base.AddClaim(claim);
        }

        public override void AddClaims(IEnumerable<Claim?> claims)
        {
            RefuseOnceMade();
            base.AddClaims(claims);
        }

        public override void RemoveClaim(Claim? claim) => throw Refused();

        public override bool TryRemoveClaim(Claim? claim) => throw Refused();

        private void RefuseOnceMade()
        {
            if (_made)
            {
                throw Refused();
            }
        }
    }
}
