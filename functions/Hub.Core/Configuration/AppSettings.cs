using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hub.Core.Configuration;

/// <summary>
/// Binds an app's settings sections one after another, collecting the problems of all of them, then either
/// registers them (as the options object and as <see cref="IOptions{TOptions}"/>) or fails with every problem at once.
/// </summary>
public sealed class AppSettings(IConfiguration configuration)
{
    private readonly SettingsProblems _problems = new();
    private readonly List<Action<IServiceCollection>> _registrations = [];

    public IReadOnlyList<string> Problems => _problems.Messages;

    /// <summary>Binds and validates one section; the returned object is usable even when problems were found.</summary>
    /// <param name="only">The only properties this app reads from the section (the rest keep their defaults); <c>null</c> for all.</param>
    public T Add<T>(IReadOnlyCollection<string>? only = null) where T : class, ISettingsSection, new()
    {
        var settings = SettingsBinder.Bind<T>(configuration, _problems, only);
        _registrations.Add(services =>
        {
            services.TryAddSingleton(settings);
            services.TryAddSingleton<IOptions<T>>(Options.Create(settings));
        });
        return settings;
    }

    /// <summary>Adds a problem that spans sections (checked by the app after binding them).</summary>
    public void AddProblem(string key, string problem) => _problems.Add(key, problem);

    /// <summary>Registers every bound section, or throws one exception that lists every problem.</summary>
    /// <exception cref="AppSettingsException">At least one setting is invalid.</exception>
    public void Register(IServiceCollection services)
    {
        if (_problems.Any)
        {
            throw new AppSettingsException(_problems.Messages);
        }
        foreach (var register in _registrations)
        {
            register(services);
        }
    }
}
