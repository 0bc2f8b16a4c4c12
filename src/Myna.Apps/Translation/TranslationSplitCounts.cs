using System.Text.Json.Serialization;

namespace Myna.Apps.Translation;

/// <summary>What each split rule kept and dropped (<see cref="TranslationSplits.Build"/>).</summary>
public sealed record TranslationSplitCounts
{
    /// <summary>FAQ pairs read.</summary>
    [JsonPropertyName("faq_pairs")] public int FaqPairs { get; init; }

    /// <summary>FAQ pairs over the test length bound (not used).</summary>
    [JsonPropertyName("faq_too_long")] public int FaqTooLong { get; init; }

    /// <summary>Debian Reference pairs read.</summary>
    [JsonPropertyName("reference_pairs")] public int ReferencePairs { get; init; }

    /// <summary>LibreOffice messages read.</summary>
    [JsonPropertyName("libreoffice_pairs")] public int LibreOfficePairs { get; init; }

    /// <summary>LibreOffice messages under the word minimum.</summary>
    [JsonPropertyName("libreoffice_too_short")] public int LibreOfficeTooShort { get; init; }

    /// <summary>LibreOffice messages long enough but with placeholders.</summary>
    [JsonPropertyName("libreoffice_placeholders")] public int LibreOfficeWithPlaceholders { get; init; }

    /// <summary>Test pairs dropped as near-duplicates of earlier test pairs.</summary>
    [JsonPropertyName("test_near_duplicates")] public int TestNearDuplicates { get; init; }

    /// <summary>Dev pairs dropped as near-duplicates of test or earlier dev pairs.</summary>
    [JsonPropertyName("dev_near_duplicates")] public int DevNearDuplicates { get; init; }

    /// <summary>Reference training pairs dropped as near-duplicates of test, dev or earlier training pairs.</summary>
    [JsonPropertyName("train_reference_near_duplicates")] public int TrainReferenceNearDuplicates { get; init; }

    /// <summary>LibreOffice training pairs dropped as near-duplicates of test, dev or earlier training pairs.</summary>
    [JsonPropertyName("train_libreoffice_near_duplicates")] public int TrainLibreOfficeNearDuplicates { get; init; }

    /// <summary>Test pairs kept.</summary>
    [JsonPropertyName("test")] public int Test { get; init; }

    /// <summary>Dev pairs kept.</summary>
    [JsonPropertyName("dev")] public int Dev { get; init; }

    /// <summary>Reference training pairs kept.</summary>
    [JsonPropertyName("train_reference")] public int TrainReference { get; init; }

    /// <summary>LibreOffice training pairs kept.</summary>
    [JsonPropertyName("train_libreoffice")] public int TrainLibreOffice { get; init; }
}
