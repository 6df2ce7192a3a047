using System.Globalization;

namespace Hub.Core.Usage;

/// <summary>One period of usage, <c>[Start, End)</c> in UTC, with the name the API and reports use.</summary>
/// <param name="Name">E.g. <c>2026-12-05</c> (day), <c>2026-W49</c> (week), <c>2026-12</c> (month), <c>term</c>.</param>
public sealed record UsagePeriod(string Name, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The period of <paramref name="kind"/> that holds <paramref name="now"/>; for a term, the term (<c>null</c> if no term is set).</summary>
    public static UsagePeriod? Containing(UsagePeriodKind kind, DateTimeOffset now, (DateTimeOffset Start, DateTimeOffset End)? term = null)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        switch (kind)
        {
            case UsagePeriodKind.Day:
                return new UsagePeriod(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day, day.AddDays(1));
            case UsagePeriodKind.Week:
                var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
                return new UsagePeriod(
                    $"{ISOWeek.GetYear(monday.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(monday.UtcDateTime):00}", monday, monday.AddDays(7));
            case UsagePeriodKind.Month:
                var first = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return new UsagePeriod(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first, first.AddMonths(1));
            default:
                return term is { } t ? new UsagePeriod("term", t.Start, t.End) : null;
        }
    }

    /// <summary>
    /// Reads a period the API names: <c>day</c>, <c>week</c>, <c>month</c>, <c>term</c> (the current one),
    /// <c>yyyy-MM-dd</c>, <c>yyyy-Www</c> or <c>yyyy-MM</c>; <c>null</c> and a reason when it names none.
    /// </summary>
    public static UsagePeriod? Parse(string text, DateTimeOffset now, (DateTimeOffset Start, DateTimeOffset End)? term, out string? problem)
    {
        problem = null;
        foreach (var kind in Enum.GetValues<UsagePeriodKind>())
        {
            if (string.Equals(text, kind.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                var period = Containing(kind, now, term);
                problem = period is null ? "No term is configured (Quota__TermStart, Quota__TermEnd)." : null;
                return period;
            }
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Containing(UsagePeriodKind.Day, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }
        if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return Containing(UsagePeriodKind.Month, new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }
        if (text.Length == 8 && text[4..6] is "-W" or "-w"
            && int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out int year) && year is >= 1 and <= 9998
            && int.TryParse(text[6..], NumberStyles.None, CultureInfo.InvariantCulture, out int week) && week >= 1 && week <= ISOWeek.GetWeeksInYear(year))
        {
            return Containing(UsagePeriodKind.Week, new DateTimeOffset(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday), TimeSpan.Zero));
        }
        problem = $"period must be day, week, month, term, a date (2026-12-05), a week (2026-W49) or a month (2026-12), not '{Hub.Core.Security.LogText.Cap(text)}'.";
        return null;
    }

    /// <summary>Seconds of <c>[from, to)</c> that fall in this period.</summary>
    public double OverlapSeconds(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from > Start ? from : Start;
        var end = to < End ? to : End;
        return end > start ? (end - start).TotalSeconds : 0;
    }
}
