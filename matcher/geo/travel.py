"""Travel-time estimates, vectorised (docs/model.md, "Travel time").

``minutes = ceil(base + 60 · great-circle km · detour / speed − 1e-9)`` per mode.
"""

from __future__ import annotations

import numpy as np

from models import Policy, TravelMode

# The travel modes in index order: a student's ``s_mode`` in the problem arrays indexes this.
MODES: tuple[TravelMode, ...] = (TravelMode.bike, TravelMode.public_transport, TravelMode.car)

# Whole-minute rounding tolerance: values that are whole up to float noise
# must not round up a second time (the checker uses the same rule).
ROUNDING_SLACK = 1e-9


def mode_parameters(policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """Base minutes and km/h per mode, indexed like :data:`MODES`."""
    speeds = [policy.travel.speed(m) for m in MODES]
    return (
        np.array([s.base_min for s in speeds], dtype=float),
        np.array([s.km_per_hour for s in speeds], dtype=float),
    )


def great_circle_km(lat1, lon1, lat2, lon2, radius_km: float) -> np.ndarray:
    """Haversine distance in km between arrays of WGS84 points (degrees)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = np.radians(np.asarray(lon2) - np.asarray(lon1)) / 2
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2 * radius_km * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def estimate_minutes(distance_km: np.ndarray, mode: np.ndarray, policy: Policy) -> np.ndarray:
    """Estimated one-way travel time in whole minutes (rounded up), as int32."""
    base, speed = mode_parameters(policy)
    t = base[mode] + 60.0 * distance_km * policy.travel.detour_factor / speed[mode]
    return np.ceil(t - ROUNDING_SLACK).astype(np.int32)


def reach_km(limit_min: np.ndarray, mode: np.ndarray, policy: Policy) -> np.ndarray:
    """Largest great-circle distance whose estimate can stay within ``limit_min``.

    Slightly generous (the exact estimate filters afterwards), never short.
    """
    base, speed = mode_parameters(policy)
    km = (limit_min - base[mode]) * speed[mode] / 60.0 / policy.travel.detour_factor
    return np.maximum(km, 0.0) * (1 + 1e-6) + 1e-6


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, for Euclidean spatial indexes (chord distance)."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def chord_for_km(km: np.ndarray, radius_km: float) -> np.ndarray:
    """The chord length on the unit sphere of a great-circle distance in km."""
    return 2 * np.sin(np.minimum(np.asarray(km) / radius_km, np.pi) / 2)
