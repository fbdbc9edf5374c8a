using System.Security.Claims;
using System.Text;
using PostGate.Functions.Auth;
using Xunit;

namespace PostGate.Functions.Tests.Auth;

public sealed class AppServicePrincipalTests
{
    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string, string, string[], string[]> Principals => new()
    {
        // JSON, expected name, roles, accounts.
        {
            """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"Sam"},{"typ":"roles","val":"marketer"},{"typ":"postgate_accounts","val":"acme"}]}""",
            "Sam", [Roles.Marketer], ["acme"]
        },
        // Several role claims, unknown ones dropped, duplicates once.
        {
            """{"claims":[{"typ":"roles","val":"marketer"},{"typ":"roles","val":"admin"},{"typ":"roles","val":"compliance"},{"typ":"roles","val":"compliance"}]}""",
            "app-service-principal", [Roles.Marketer, Roles.Compliance], []
        },
        // role_typ names a claim type that carries roles as well as 'roles'.
        {
            """{"role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","claims":[{"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"compliance"}]}""",
            "app-service-principal", [Roles.Compliance], []
        },
        // Accounts: comma-separated, trimmed, empty entries dropped, several claims joined; '*' kept as is.
        {
            """{"claims":[{"typ":"preferred_username","val":"sam@example.com"},{"typ":"postgate_accounts","val":" acme, ,globex "},{"typ":"postgate_accounts","val":"*"}]}""",
            "sam@example.com", [], ["acme", "globex", "*"]
        },
        // Unknown members are ignored.
        {
            """{"claims":[],"extra":{"nested":true}}""",
            "app-service-principal", [], []
        },
    };

    [Theory]
    [MemberData(nameof(Principals))]
    public void Parse_ReadsNameRolesAndAccounts(string json, string name, string[] roles, string[] accounts)
    {
        var identity = AppServicePrincipal.Parse(Encode(json), "AppService");

        Assert.NotNull(identity);
        Assert.True(identity.IsAuthenticated);
        Assert.Equal(name, identity.Name);
        Assert.Equal(roles, identity.FindAll(ClaimTypes.Role).Select(c => c.Value));
        Assert.Equal(accounts, identity.FindAll(AccountScope.ClaimType).Select(c => c.Value));
    }

    public static TheoryData<string> NotPrincipals => new()
    {
        "",
        "not base64!",
        Encode("null"),
        Encode("[]"),
        Encode("{}"),
        Encode("""{"claims":{}}"""),
        Encode("""{"claims":[1]}"""),
        Encode("""{"claims":[{"val":"compliance"}]}"""),
        Encode("""{"claims":[{"typ":"roles"}]}"""),
        Encode("""{"claims":[{"typ":"roles","val":7}]}"""),
        Encode("""{"claims":[{"typ":"roles","val":"compliance"}]"""),
        // An unpaired surrogate escape is valid JSON but no string App Service writes.
        Encode("""{"claims":[{"typ":"roles","val":"\uD800"}]}"""),
        // Deeper than any principal.
        Encode("""{"claims":[{"typ":"roles","val":"compliance","x":[[[[[[[[[]]]]]]]]]}]}"""),
        // Longer than any principal.
        Encode("""{"claims":[{"typ":"roles","val":"compliance"},{"typ":"pad","val":""" + "\"" + new string('a', AppServicePrincipal.MaxHeaderLength) + "\"}]}"),
    };

    [Theory]
    [MemberData(nameof(NotPrincipals))]
    public void Parse_NotAPrincipal_ReturnsNull(string header)
    {
        Assert.Null(AppServicePrincipal.Parse(header, "AppService"));
    }
}
