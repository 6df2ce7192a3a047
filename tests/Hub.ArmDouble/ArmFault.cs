namespace Hub.ArmDouble;

/// <summary>How the double answers container-group PUT and GET while a fault is switched on (an ARM outage).</summary>
public enum ArmFault
{
    /// <summary>Answers normally.</summary>
    None,

    /// <summary>500 InternalServerError, before anything is created.</summary>
    InternalError,

    /// <summary>503 ServiceUnavailable with a Retry-After of one second, before anything is created.</summary>
    ServiceUnavailable,

    /// <summary>Holds the request unanswered until the caller gives up or the fault is switched off (then answers normally).</summary>
    Hang,
}
