namespace Hub.Cost.Model;

/// <summary>The two numbers that decide what a class costs, with their parts, and the Kubernetes hub to compare with.</summary>
/// <param name="IdlePerDay">What runs up while nobody works, per day.</param>
/// <param name="PerStudentHour">What one student's server adds per hour it runs.</param>
/// <param name="KubernetesIdlePerDay">The Kubernetes hub's idle cost per day.</param>
/// <param name="KubernetesPerStudentHour">The Kubernetes hub's cost per student-hour.</param>
public sealed record CostEstimate(
    IReadOnlyList<CostLine> IdlePerDay,
    IReadOnlyList<CostLine> PerStudentHour,
    decimal KubernetesIdlePerDay,
    decimal KubernetesPerStudentHour)
{
    public decimal IdleTotal => IdlePerDay.Sum(l => l.Amount);

    public decimal StudentHourTotal => PerStudentHour.Sum(l => l.Amount);

    /// <summary>A day's bill with <paramref name="studentHours"/> of servers running.</summary>
    public decimal Day(decimal studentHours) => IdleTotal + studentHours * StudentHourTotal;

    /// <summary>A day's bill of the Kubernetes hub for the same use.</summary>
    public decimal KubernetesDay(decimal studentHours) => KubernetesIdlePerDay + studentHours * KubernetesPerStudentHour;

    /// <summary>
    /// Student-hours per day below which this hub costs less than the Kubernetes hub; null when it costs less at
    /// any use (or more at any use: see <see cref="CheaperWhenIdle"/>).
    /// </summary>
    public decimal? BreakEvenStudentHoursPerDay
    {
        get
        {
            decimal idleSaving = KubernetesIdlePerDay - IdleTotal;
            decimal extraPerHour = StudentHourTotal - KubernetesPerStudentHour;
            return idleSaving > 0 && extraPerHour > 0 ? idleSaving / extraPerHour : null;
        }
    }

    public bool CheaperWhenIdle => IdleTotal < KubernetesIdlePerDay;
}
