using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Rampart.Generator.Parsing;

/// <summary>
/// The secret-looking-name rule (RAMP0022, and redaction from the request log: one function for
/// both). A name is split into words, then it is secret when a run of consecutive words spells a
/// secret word (a trailing plural "s" allowed), or when the whole name, with its separators
/// removed, contains one of the long secret words. Documented in docs/security.md.
/// </summary>
internal static class SecretNames
{
    // Long, distinctive words, also found inside lower-case compounds ("newpassword", "x-api-key").
    private static readonly string[] Contained =
    {
        "password", "passwd", "passphrase", "passcode", "secret", "token", "apikey", "accesskey", "privatekey",
        "authorization", "credential", "cardnumber", "creditcard", "securitycode",
    };

    // Short or ambiguous words, only as whole words or word runs: "pin" but not "spinner",
    // "sessionid" but not "session", "mfacode" but not "mfaenabled".
    private static readonly string[] Whole =
    {
        "pwd", "pin", "cvv", "cvc", "ssn", "otp", "totp", "hotp", "iban", "jwt", "cookie",
        "sessionid", "sessionkey", "mfacode", "authcode", "recoverycode", "backupcode", "verificationcode", "resetcode",
        "signingkey", "encryptionkey", "privkey", "clientassertion", "socialsecuritynumber", "securityanswer",
        "seedphrase", "mnemonic",
    };

    // The longest entry of Whole spans three words at most ("social"+"security"+"number").
    private const int MaxRun = 3;

    /// <summary>True when <paramref name="name"/> (a member name or a JSON name) looks like it holds a secret.</summary>
    public static bool LooksSecret(string name)
    {
        var words = Words(name);
        string joined = string.Concat(words);
        if (Contained.Any(w => joined.Contains(w)))
        {
            return true;
        }

        for (int i = 0; i < words.Count; i++)
        {
            string run = string.Empty;
            for (int j = i; j < words.Count && j < i + MaxRun; j++)
            {
                run += words[j];
                if (Whole.Any(w => run == w || run == w + "s"))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Lower-case words of an identifier: split at separators (anything not a letter or digit),
    /// between letters and digits, at a lower-to-upper change, and before the last capital of an
    /// acronym that a lower-case word follows (<c>IBANNumber</c>: iban, number; <c>userSSN</c>: user,
    /// ssn; <c>SSNLast4</c>: ssn, last, 4). A lone "s" after an acronym is its plural (<c>PINs</c>: pins).
    /// </summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString().ToLowerInvariant());
                current.Clear();
            }
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            if (current.Length > 0)
            {
                char previous = name[i - 1];
                bool next = i + 1 < name.Length;
                bool split =
                    char.IsDigit(c) != char.IsDigit(previous)
                    || (char.IsUpper(c) && char.IsLower(previous))
                    || (char.IsUpper(c) && char.IsUpper(previous) && next && char.IsLower(name[i + 1]) && !IsPluralS(name, i + 1));
                if (split)
                {
                    Flush();
                }
            }

            current.Append(c);
        }

        Flush();
        return words;
    }

    // "s" that ends a word after a run of capitals: PINs, OTPs, SSNs.
    private static bool IsPluralS(string name, int index) =>
        name[index] == 's' && (index + 1 == name.Length || !char.IsLower(name[index + 1]));
}
