using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rampart.Authentication;

namespace Orders.Auth;

/// <summary>
/// The sample's <see cref="IRefreshTokenValidator"/>: a refresh goes on only while the user is in <c>auth_users</c>
/// and enabled, with the permissions the user holds now (Rampart keeps those the login was granted). A failing
/// user store is not a refusal: the exception reaches the refresh endpoint, which answers 503.
/// </summary>
internal sealed class UserRefreshValidator(UserStore users) : IRefreshTokenValidator
{
    public async ValueTask<RefreshValidation> ValidateAsync(string subject, IReadOnlyList<string> grantedScopes, CancellationToken cancellationToken) =>
        await users.FindAsync(subject, cancellationToken) switch
        {
            null => RefreshValidation.Refused("user_not_found"),
            { Enabled: false } => RefreshValidation.Refused("user_disabled"),
            var user => RefreshValidation.Valid(user.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
        };
}
