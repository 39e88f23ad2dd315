using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// SQLite's <c>LIKE</c> ignores the case of ASCII letters only, so a search for "überraschung" missed
/// "Überraschung", and "città" missed "CITTÀ". Every connection gets a <c>like()</c> of its own
/// (SQLite's documented way to override the operator, with and without <c>ESCAPE</c>) that ignores
/// case as SQL Server's default collation and .NET's <see cref="StringComparison.OrdinalIgnoreCase"/>
/// do, for every letter. The searches it serves are <c>'%term%'</c> scans, which no index helps, so
/// losing SQLite's LIKE-to-index optimisation costs nothing; each row compared costs a call into
/// .NET instead. Measured on 10,000 listings (title and venue, one connection, same run): a search
/// scan takes 11–19 ms against 5 ms with SQLite's own LIKE, which did not find "Ärzte" for "ärzte".
/// </summary>
internal static class SqliteUnicodeLike
{
    /// <summary>Connections (pooled, so reused by many contexts) that have the function already.</summary>
    private static readonly ConditionalWeakTable<sqlite3, object> Registered = [];

    /// <summary>Gives the native connection its <c>like()</c>, once (<see cref="SqliteConnectionSetup"/>).</summary>
    public static void Register(sqlite3 handle)
    {
        // Registered on the native connection itself, not through SqliteConnection.CreateFunction:
        // that one removes its functions when the connection goes back to the pool, and a removed
        // override leaves SQLite's LIKE broken ("wrong number of arguments") for the next user of
        // the pooled connection that does not register it again.
        if (!Registered.TryGetValue(handle, out _))
        {
            const int Flags = raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC;

            // like(pattern, value) and like(pattern, value, escape): SQLite passes the pattern first.
            Check(handle, raw.sqlite3_create_function(handle, "like", 2, Flags, null, Call));
            Check(handle, raw.sqlite3_create_function(handle, "like", 3, Flags, null, Call));
            Registered.AddOrUpdate(handle, Flags);
        }
    }

    private static void Check(sqlite3 handle, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"Could not register like(): {raw.sqlite3_errmsg(handle).utf8_to_string()}", result);
        }
    }

    private static void Call(sqlite3_context context, object userData, sqlite3_value[] args)
    {
        string? Text(int i) => raw.sqlite3_value_type(args[i]) == raw.SQLITE_NULL ? null : raw.sqlite3_value_text(args[i]).utf8_to_string();
        try
        {
            // The pattern and escape are the same for every row of a statement: read again only when their bytes differ.
            bool? result;
            if (raw.sqlite3_value_type(args[0]) == raw.SQLITE_NULL || raw.sqlite3_value_type(args[1]) == raw.SQLITE_NULL)
            {
                result = null;
            }
            else
            {
                var compiled = Compiled.Of(raw.sqlite3_value_blob(args[0]), args.Length > 2 ? Text(2) : null);
                result = compiled.Matches(raw.sqlite3_value_text(args[1]).utf8_to_string());
            }

            switch (result)
            {
                case null:
                    raw.sqlite3_result_null(context);
                    break;
                case var matches:
                    raw.sqlite3_result_int(context, matches.Value ? 1 : 0);
                    break;
            }
        }
        catch (ArgumentException ex)
        {
            raw.sqlite3_result_error(context, ex.Message);
        }
    }

    /// <summary>
    /// <c>value LIKE pattern [ESCAPE escape]</c>, ignoring case: <c>%</c> stands for any run of
    /// characters, <c>_</c> for one, and the escape character makes the next one mean itself.
    /// Null when either side is null, as SQL has it.
    /// </summary>
    public static bool? Like(string? value, string? pattern, string? escape)
    {
        if (value is null || pattern is null)
        {
            return null;
        }

        return Compiled.Of(pattern, escape).Matches(value);
    }

    /// <summary>A pattern worked out once for the many rows one statement compares with it.</summary>
    private sealed class Compiled
    {
        // Each statement runs its calls on the thread that steps it, one row after another.
        [ThreadStatic]
        private static Compiled? _last;

        private readonly string _pattern;
        private readonly byte[] _utf8;
        private readonly string? _escape;
        private readonly List<Token>? _tokens;
        private readonly string? _contains;

        private Compiled(string pattern, string? escape)
        {
            if (escape is not null && escape.EnumerateRunes().Count() != 1)
            {
                throw new ArgumentException("ESCAPE expression must be a single character", nameof(escape));
            }

            (_pattern, _escape, _utf8) = (pattern, escape, Encoding.UTF8.GetBytes(pattern));
            _tokens = Tokens(pattern, escape is null ? null : escape.EnumerateRunes().First());

            // The searches' own shape, '%term%': a plain substring test.
            if (_tokens is { Count: >= 2 } tokens && tokens[0].IsAny && tokens[^1].IsAny && tokens.Skip(1).SkipLast(1).All(t => t.IsLiteral))
            {
                _contains = string.Concat(tokens.Skip(1).SkipLast(1).Select(t => t.Literal.ToString()));
            }
        }

        /// <summary>The last pattern compiled on this thread when its UTF-8 bytes are these, else the pattern compiled.</summary>
        public static Compiled Of(ReadOnlySpan<byte> pattern, string? escape)
        {
            if (_last is { } last && last._escape == escape && pattern.SequenceEqual(last._utf8))
            {
                return last;
            }

            return _last = new Compiled(Encoding.UTF8.GetString(pattern), escape);
        }

        public static Compiled Of(string pattern, string? escape)
        {
            if (_last is { } last && last._pattern == pattern && last._escape == escape)
            {
                return last;
            }

            return _last = new Compiled(pattern, escape);
        }

        public bool Matches(string value) => _tokens switch
        {
            null => false,
            _ when _contains is not null => value.Contains(_contains, StringComparison.OrdinalIgnoreCase),
            var tokens => SqliteUnicodeLike.Matches(Folded(value), tokens),
        };
    }

    /// <summary>The pattern's parts; null when it ends in the escape character, which SQLite's LIKE matches with nothing.</summary>
    private static List<Token>? Tokens(string pattern, Rune? escape)
    {
        var tokens = new List<Token>();
        var escaped = false;
        foreach (var rune in pattern.EnumerateRunes())
        {
            if (escaped)
            {
                tokens.Add(Token.Of(rune));
                escaped = false;
            }
            else if (rune == escape)
            {
                escaped = true;
            }
            else if (rune.Value == '%')
            {
                if (tokens.Count == 0 || !tokens[^1].IsAny)
                {
                    tokens.Add(Token.Any);
                }
            }
            else if (rune.Value == '_')
            {
                tokens.Add(Token.One);
            }
            else
            {
                tokens.Add(Token.Of(rune));
            }
        }

        return escaped ? null : tokens;
    }

    private static Rune[] Folded(string text) => text.EnumerateRunes().Select(Rune.ToUpperInvariant).ToArray();

    /// <summary>Wildcard matching with one remembered <c>%</c> to fall back to: linear in most cases, quadratic at worst.</summary>
    private static bool Matches(Rune[] value, List<Token> tokens)
    {
        int v = 0, t = 0, starToken = -1, starValue = 0;
        while (v < value.Length)
        {
            if (t < tokens.Count && (tokens[t].IsOne || (tokens[t].IsLiteral && Rune.ToUpperInvariant(tokens[t].Literal) == value[v])))
            {
                v++;
                t++;
            }
            else if (t < tokens.Count && tokens[t].IsAny)
            {
                starToken = t++;
                starValue = v;
            }
            else if (starToken >= 0)
            {
                t = starToken + 1;
                v = ++starValue;
            }
            else
            {
                return false;
            }
        }

        while (t < tokens.Count && tokens[t].IsAny)
        {
            t++;
        }

        return t == tokens.Count;
    }

    private readonly record struct Token(int Kind, Rune Literal)
    {
        public static readonly Token Any = new(1, default);

        public static readonly Token One = new(2, default);

        public bool IsLiteral => Kind == 0;

        public bool IsAny => Kind == 1;

        public bool IsOne => Kind == 2;

        public static Token Of(Rune literal) => new(0, literal);
    }
}
