package io.plsim.core.control;

/** One tag of one resource, as DescribeTags lists it. */
public record TagDescription(String resourceId, String resourceType, String key, String value) {
}
