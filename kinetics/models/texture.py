"""The spin-pumping diffusion model of seed 002 for a prescribed texture S(x, t).

Takeuchi, Hosono & Tatara, PRB 81, 144405 (2010) (our identification of seed 002, whose text
has no title; docs/references.md).
Conduction electrons with DOS ν/V per spin per unit volume, lifetime τ and diffusion
constant D are coupled by the s-d exchange J to a localized spin S(x, t).  To second order
in J and for qℓ, Ωτ ≪ 1:

    ρ_s  = (ħνJ/V)S − (ħνJτ/V)⟨Ṡ⟩ + (2νJ²τ²/V)⟨S×Ṡ⟩                   (Eq. 11, rewritten)
    μ_s  = −(ħνJτD/V)⟨Ṡ⟩ + (2νJ²τ²D/V)⟨S×Ṡ⟩ = Dρ_s − (ħνJD/V)S        (Eqs. 10, 14)
    j_s  = j_s^(sc) − D∇ρ_s                                           (Eq. 16)
    j_s^(sc) = (ħνJD/V)∇S − (ħ²νJ²/(12mε_F V)) S×∇S                    (Eq. 17)
    T_s  = −(ħ²νJ²/(12mε_F V)) S×∇²S + (2νJ²τ/V) S×Ṡ                   (Eq. A21)
    ρ̇_s + ∇·j_s = T_s                                                 (Eq. A20)
    j_s^(local) = (ħνJτD/V)(∇Ṡ − (2Jτ/ħ){∇(S×Ṡ) + S×∇Ṡ})              (Eq. 31)

Here ⟨·⟩ is the diffusion average of Eq. (6), τ(∂_t − D∇² [+ 1/τ_sf])⟨A⟩ = A
(:mod:`kinetics.models.diffusion_average`).  Units: ρ_s in J·s/m³ (angular momentum per
volume).  The spin currents are angular-momentum current densities J[a, i] (spin a, flow i)
in J/m², the paper's units, not the charge-current units of the drift-diffusion core.  T_s
is in J/m³.  ν below is the paper's ν/V.

Extensions beyond the paper (off by default):

* ``relaxation_time`` τ_sf adds 1/τ_sf to the spin operator.  It relaxes the non-equilibrium
  density ρ_s − (ħνJ/V)S, and removes the secular growth of a closed system (docs/pumping.md §2).
* ``reservoirs`` are facets where the averages vanish (ideal spin sinks).  Other walls
  reflect: n·∇⟨A⟩ = 0, i.e. n·∇μ_s = 0, so no diffusive (pumped) spin current crosses them.

Solvers: :meth:`TexturePumping.frequency` gives harmonic amplitudes (e^{+iΩt} as in the paper;
the real 2×2 block form, see texture_operator).  :meth:`TexturePumping.integrate` is BDF2 in
time, starting from rest at t₀: the averages vanish there and ρ_s = (ħνJ/V)S(t₀).  Charge
densities and currents of the Rashba and impurity SOC come from
:mod:`kinetics.physics.texture.conversion`.  They are solved from the continuity equation,
so (B6) holds.  The optional ``direct`` route solves Eq. (12) with source (13) for ρ_s itself,
as a cross-check.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence

import numpy as np

from kinetics import units, validation
from kinetics.physics.texture import conversion as conv
from kinetics.models.diffusion_average import DiffusionAverage
from kinetics.physics.texture.sources import nonzero
from kinetics.models.texture_results import FrequencyResponse, TextureState, TimeResponse

__all__ = ["ElectronGas", "TexturePumping", "TextureState", "FrequencyResponse", "TimeResponse",
           "GAS_RANGES", "MAX_SAMPLES", "MAX_STEPS"]

#: (lowest, highest) accepted value of each :class:`ElectronGas` parameter, SI; for J the
#: bound on |J|
GAS_RANGES = {"nu": (1e30, 1e60), "J": (0.0, 1e-15), "tau": (1e-20, 1e-6), "D": (1e-15, 1e3),
              "mass": (1e-35, 1e-25), "eps_F": (1e-25, 1e-15)}
#: most time samples per period of :meth:`TexturePumping.frequency`
MAX_SAMPLES = 4096
#: most time steps of :meth:`TexturePumping.integrate`
MAX_STEPS = 1_000_000


@dataclasses.dataclass(frozen=True)
class ElectronGas:
    """Parameters of the disordered electron gas of seed 002 (SI).

    Parameters
    ----------
    nu:
        Density of states at ε_F per spin and unit volume (the paper's ν/V), 1/(J·m³).
    J:
        s-d exchange constant, J (energy).  Seed 002 needs |J|τ/ħ ≪ 1.
    tau:
        Elastic lifetime τ, s.
    D:
        Diffusion constant, m²/s (D = 2ε_Fτ/3m).
    mass:
        Band mass m, kg (default m_e).
    eps_F:
        Fermi energy, J.  Default 3mD/(2τ), from D = 2ε_Fτ/3m.

    Limits (SI, :data:`GAS_RANGES`; far outside them the model's small parameters and the
    floating-point range both fail): ν in [1e30, 1e60] 1/(J·m³) (metals ~1e47), |J| <=
    1e-15 J (~6 keV; s-d exchange is ~0.1-1 eV), τ in [1e-20, 1e-6] s, D in [1e-15, 1e3]
    m²/s, m in [1e-35, 1e-25] kg, ε_F in [1e-25, 1e-15] J.

    Raises
    ------
    TypeError
        For a parameter that is not a number.
    kinetics.validation.ValidationError
        (a ValueError) For a parameter that is not positive and finite (J: finite) or lies
        outside its range; for a default ε_F = 3mD/(2τ) outside its range the message says
        so.
    """

    nu: float
    J: float
    tau: float
    D: float
    mass: float = units.m_e
    eps_F: float | None = None

    def __post_init__(self):
        owner = "ElectronGas"
        for name in ("nu", "tau", "D", "mass"):
            lo, hi = GAS_RANGES[name]
            object.__setattr__(self, name, validation.positive(owner, name, getattr(self, name),
                                                               tiny=lo, limit=hi))
        object.__setattr__(self, "J", validation.finite(owner, "J", self.J,
                                                        kind="a number (joules)",
                                                        limit=GAS_RANGES["J"][1]))
        lo, hi = GAS_RANGES["eps_F"]
        if self.eps_F is None:
            eps = 1.5 * self.mass * self.D / self.tau
            if not lo <= eps <= hi:
                raise validation.ValidationError(
                    owner, "eps_F", f"in [{lo:g}, {hi:g}] J", f"3 m D / (2 tau) = {eps:g} J",
                    "give eps_F explicitly or check mass, D and tau")
            object.__setattr__(self, "eps_F", eps)
        else:
            object.__setattr__(self, "eps_F", validation.positive(owner, "eps_F", self.eps_F,
                                                                  tiny=lo, limit=hi))

    @property
    def kappa_eq(self) -> float:
        """ħνJ/V (J·s/m³): the equilibrium density ρ_s = (ħνJ/V)S (Eq. 11 at Ω = 0)."""
        return units.hbar * self.nu * self.J

    @property
    def damping(self) -> float:
        """2νJ²τ/V (J·s/m³): T^(dy) = (2νJ²τ/V) S×Ṡ (seed 002 Eq. 26)."""
        return 2 * self.nu * self.J ** 2 * self.tau

    @property
    def kappa_sc(self) -> float:
        """ħ²νJ²/(12 m ε_F V) (J/m): the spin supercurrent coefficient (seed 002 Eq. 8)."""
        return units.hbar ** 2 * self.nu * self.J ** 2 / (12 * self.mass * self.eps_F)

    @property
    def k_F(self) -> float:
        """Fermi wave number √(2mε_F)/ħ, 1/m."""
        return math.sqrt(2 * self.mass * self.eps_F) / units.hbar

    @property
    def mean_free_path(self) -> float:
        """ℓ = √(3Dτ), m."""
        return math.sqrt(3 * self.D * self.tau)

    def regime(self, Omega: float = 0.0, q: float = 0.0) -> dict:
        """The small parameters of seed 002: Ωτ, qℓ and |J|τ/ħ (each should be ≪ 1)."""
        return {"Omega_tau": abs(Omega) * self.tau, "q_l": abs(q) * self.mean_free_path,
                "J_tau_over_hbar": abs(self.J) * self.tau / units.hbar}


class TexturePumping:
    """Seed-002 spin pumping by a prescribed texture on a device (module docstring).

    Parameters
    ----------
    device:
        A :class:`kinetics.device.Device` (1D, 2D or 3D; uniform parameters everywhere, as
        in the paper).
    gas:
        An :class:`ElectronGas`.
    texture:
        :class:`~kinetics.physics.texture.sources.AnalyticTexture` or
        :class:`~kinetics.physics.texture.sources.SampledTexture`.
    degree:
        Lagrange degree of the averages (1-3).
    relaxation_time:
        Optional spin relaxation time τ_sf, s (not in the paper; ``math.inf`` reproduces it).
    reservoirs:
        Boundary names where the averages vanish.
    E_so:
        Rashba vector (J·m), shape (3,), or None.
    lambda_so:
        Impurity-SOC strength λ_so (m²), or None.

    Raises
    ------
    TypeError
        For a gas that is not an ElectronGas, a texture without ``bind``, reservoirs that
        are not a sequence of names.
    kinetics.validation.ValidationError
        (a ValueError) For a τ_sf that is not positive (or +inf), a degree not in 1..3,
        reservoir names without facets, E_so or λ_so out of range (see
        :mod:`kinetics.physics.texture.conversion`).
    KeyError
        For unknown reservoir names.
    """

    def __init__(self, device, gas: ElectronGas, texture, *, degree: int = 1,
                 relaxation_time: float = math.inf, reservoirs: Sequence[str] = (), E_so=None,
                 lambda_so: float | None = None, solver: str = "direct", petsc_options=None):
        if not isinstance(gas, ElectronGas):
            raise TypeError(f"TexturePumping: gas must be an ElectronGas, got {type(gas).__name__}")
        if not hasattr(texture, "bind"):
            raise TypeError(f"TexturePumping: texture must be an AnalyticTexture or "
                            f"SampledTexture, got {type(texture).__name__}")
        relaxation_time = validation.positive("TexturePumping", "relaxation_time",
                                              relaxation_time, allow_inf=True,
                                              kind="a number (seconds) or math.inf")
        self.a_R = None if E_so is None else conv.rashba_coefficient(E_so, gas.tau)
        self.a_imp = None if lambda_so is None else conv.impurity_coefficient(lambda_so, gas)
        self.device, self.gas = device, gas
        opts = dict(degree=degree, reservoirs=reservoirs, solver=solver,
                    petsc_options=petsc_options)
        self.spin = DiffusionAverage(device, gas.D, gas.tau, relaxation_time, **opts)
        self.relaxation_time = self.spin.tau_sf
        self.charge = DiffusionAverage(device, gas.D, gas.tau, math.inf, **opts) \
            if (self.a_R is not None or self.a_imp is not None) else None
        self.degree = self.spin.degree
        self.texture = texture.bind(device, self.degree)

    # ------------------------------------------------------------------ formulas (UFL)
    def _d(self, f, axis):
        """∂f/∂(mesh coordinate of ``axis``); zero for axes the mesh lacks and for
        expressions without a mesh (e.g. a component that is a constant)."""
        import ufl
        from ufl.domain import extract_domains
        k = self.device.axes.find(axis)
        if k < 0 or not extract_domains(f):
            return ufl.zero()
        return f.dx(k)

    def grad(self, f):
        """SI gradient: shape (3,) for a scalar, (3, 3) [a, i] = ∂_i f_a for a vector."""
        import ufl
        f = ufl.as_ufl(f)
        L = self.device.length_unit
        if f.ufl_shape == ():
            return ufl.as_vector([self._d(f, ax) for ax in "xyz"]) / L
        return ufl.as_matrix([[self._d(f[a], ax) for ax in "xyz"] for a in range(3)]) / L

    def laplacian(self, S):
        """∇²S of a 3-vector (componentwise), 1/m²."""
        import ufl
        g = self.grad(S)
        return ufl.as_vector([sum(self.grad(g[a, i])[i] for i in range(3)) for a in range(3)])

    def cross_grad(self, S, G):
        """(S × ∂_i G)[a, i]: shape (3, 3), for a 3-vector S and a gradient G[b, i]."""
        import ufl
        return ufl.as_matrix([[ufl.cross(S, ufl.as_vector([G[b, i] for b in range(3)]))[a]
                               for i in range(3)] for a in range(3)])

    def local_spin_current(self, S, Sdot):
        """j_s^(local)[a, i] of seed 002 Eq. (31), J/m²."""
        import ufl
        g = self.gas
        M = ufl.cross(S, Sdot)
        return g.kappa_eq * g.tau * g.D * (self.grad(Sdot) - (2 * g.J * g.tau / units.hbar)
                                           * (self.grad(M) + self.cross_grad(S, self.grad(Sdot))))

    def _sources(self, direct: bool) -> dict:
        """name -> (f, g, n): the right-hand sides of τ(∂_t − D∇² ...)a = f − ∇·g at the
        texture's current time."""
        import ufl
        if direct and self.spin.reservoirs:
            raise validation.ValidationError(
                "TexturePumping", "direct", "False when reservoirs are given", "True",
                "direct=True (Eq. 12 for ρ_s) is not available with reservoirs: a reservoir "
                "fixes μ_s = 0, i.e. ρ_s = (ħνJ/V)S, not ρ_s = 0; use the average route")
        g = self.gas
        S, Sd = self.texture.S, self.texture.Sdot
        M = ufl.cross(S, Sd)
        out = {"avg_Sdot": (Sd, None, 3), "avg_M": (M, None, 3)}
        if self.a_R is not None:
            F = conv.rashba_local_current(self.a_R, g.damping * M)
            out["rho_c_rashba"] = (None, g.tau * F, 1)
        if self.a_imp is not None:
            F = conv.impurity_local_current(self.a_imp, self.local_spin_current(S, Sd))
            out["rho_c_impurity"] = (None, g.tau * F, 1)
        if direct:
            rel = 0.0 if math.isinf(self.relaxation_time) else g.tau / self.relaxation_time
            out["rho_direct"] = (g.tau * g.damping * M + rel * g.kappa_eq * S,
                                 g.tau * g.kappa_eq * g.D * self.grad(S), 3)
        return out

    def with_mesh(self, e):
        """``e`` times a DG0 one, so that dolfinx can compile it as an Expression even when it
        contains no mesh function or coordinate (a spatially uniform or zero expression)."""
        from dolfinx import fem
        if not hasattr(self, "_one"):
            self._one = fem.Function(fem.functionspace(self.device.mesh, ("DG", 0)))
            self._one.x.array[:] = 1.0
        return e * self._one

    def _operator(self, name):
        return self.spin if name in ("avg_Sdot", "avg_M", "rho_direct") else self.charge

    # ------------------------------------------------------------------ frequency domain
    def frequency(self, harmonics: int = 1, samples: int | None = None, direct: bool = False
                  ) -> "FrequencyResponse":
        """Harmonic amplitudes k = 0..K of every average for a periodic texture.

        The source amplitudes are the discrete Fourier transform of the sources at N
        instants of one period, interpolated onto discontinuous Lagrange spaces of the
        solution degree.  A texture with harmonics up to K₀ gives sources up to 2K₀ (S×Ṡ is
        quadratic), so N > 2(K + 2K₀) is exact.  k = 0 is the steady problem: a closed
        domain without relaxation raises a ValueError when the DC of S×Ṡ has a non-zero mean
        (docs/pumping.md §2).  k >= 1 uses the real 2×2 block form at kΩ.

        Parameters
        ----------
        harmonics:
            K >= 0.
        samples:
            N; default: the number of frames of a periodic SampledTexture, else 16.
        direct:
            Also solve Eq. (12)-(13) for ρ_s (``"rho_direct"``).

        Raises
        ------
        kinetics.validation.ValidationError
            (a ValueError) For a non-periodic texture, K not an integer >= 0, N not an
            integer in [1, :data:`MAX_SAMPLES`], N <= 2K, direct not a bool, or direct=True
            with reservoirs.
        ValueError
            For the singular DC problem.
        """
        from dolfinx import fem
        owner = "TexturePumping.frequency"
        tex = self.texture
        if tex.period is None:
            raise validation.ValidationError(
                owner, "texture", "periodic", "a texture with no period",
                "give AnalyticTexture(..., period=T) or a periodic SampledTexture, or use "
                "integrate()")
        K = validation.integer(owner, "harmonics", harmonics, 0)
        N = validation.integer(owner, "samples", samples if samples is not None
                               else (tex.n_frames or 16), 1, MAX_SAMPLES)
        direct = _flag(owner, "direct", direct)
        if N <= 2 * K:
            raise validation.ValidationError(owner, "samples", f"more than 2 x harmonics = {2 * K}",
                                             str(N))
        T = tex.period
        Omega = 2 * math.pi / T
        sources = self._sources(direct)
        spaces, exprs, acc = {}, {}, {}
        for name, (f, g, n) in sources.items():
            for kind, e in (("f", nonzero(f)), ("g", nonzero(g))):
                if e is None:
                    continue
                key = (name, kind)
                spaces[key] = fem.functionspace(self.device.mesh, ("Discontinuous Lagrange",
                                                                   self.degree, e.ufl_shape))
                exprs[key] = fem.Expression(self.with_mesh(e),
                                            spaces[key].element.interpolation_points())
                acc[key] = np.zeros((K + 1, len(fem.Function(spaces[key]).x.array)), dtype=complex)
        times = np.arange(N) * T / N
        work = {key: fem.Function(V) for key, V in spaces.items()}
        for tj in times:
            tex.set_time(tj)
            phase = np.exp(-1j * np.arange(K + 1) * Omega * tj)
            for key in spaces:
                work[key].interpolate(exprs[key])
                acc[key] += np.outer(phase, work[key].x.array)
        for key in acc:
            acc[key] *= 2.0 / N
            acc[key][0] *= 0.5

        def fn(key, k, part):
            if key not in acc:
                return None
            u = fem.Function(spaces[key])
            u.x.array[:] = getattr(acc[key][k], part)
            return u

        amps = {}
        for name, (_, _, n) in sources.items():
            op = self._operator(name)
            fk, gk = (name, "f"), (name, "g")
            # singular DC (closed, no relaxation): the averages have zero mean; ρ_direct then
            # has the mean of (ħνJ/V)S so that both routes agree
            mean = self.gas.kappa_eq * self._mean_S(times) \
                if (name == "rho_direct" and op.singular_dc) else None
            scale = float(np.abs(acc[fk]).max()) if fk in acc else 0.0
            amps[name] = [(op.steady(fn(fk, 0, "real"), fn(gk, 0, "real"), mean=mean, n=n,
                                     scale=scale, label=f"the DC source of {name}"), None)]
            for k in range(1, K + 1):
                amps[name].append(op.harmonic(k * Omega, fn(fk, k, "real"), fn(fk, k, "imag"),
                                              fn(gk, k, "real"), fn(gk, k, "imag"), n=n))
        return FrequencyResponse(self, Omega, amps)

    def _mean_S(self, times) -> np.ndarray:
        """Space-time average of S over the samples (for the null-space gauge of ρ_direct)."""
        out = []
        for tj in times:
            self.texture.set_time(tj)
            out.append(self.spin.average(self.texture.S, 3))
        return np.mean(out, axis=0)

    # ------------------------------------------------------------------ time domain
    def integrate(self, t_end: float, dt: float, *, t0: float | None = None,
                  observe: Callable | None = None, every: int = 1, direct: bool = False
                  ) -> "TimeResponse":
        """BDF2 from rest at t₀ to t_end with step dt.

        Parameters
        ----------
        t_end, dt, t0:
            Seconds.  t₀ defaults to 0, or to the first frame of a non-periodic
            SampledTexture.  (t_end − t₀)/dt must be an integer >= 1.
        observe:
            ``observe(state)`` -> anything, called every ``every`` steps and at the end with
            a :class:`TextureState`.  The state is valid only during the call.
        direct:
            Also integrate Eq. (12)-(13) for ρ_s, starting from (ħνJ/V)S(t₀) (not with
            reservoirs).

        Returns
        -------
        :class:`TimeResponse`.

        Raises
        ------
        TypeError
            For times that are not numbers, an observe that is not callable.
        kinetics.validation.ValidationError
            (a ValueError) For non-finite times, dt <= 0, every not an integer >= 1, a
            number of steps that is not an integer in [1, :data:`MAX_STEPS`], direct not a
            bool, or direct=True with reservoirs; a t outside a non-periodic
            SampledTexture's interval.
        """
        from dolfinx import fem
        owner = "TexturePumping.integrate"
        tex = self.texture
        if t0 is None:
            t0 = tex.t_range[0] if tex.t_range else 0.0
        t0 = validation.finite(owner, "t0", t0, kind="a number (seconds) or None")
        t_end = validation.finite(owner, "t_end", t_end, kind="a number (seconds)")
        dt = validation.positive(owner, "dt", dt, kind="a number (seconds)")
        every = validation.integer(owner, "every", every, 1)
        direct = _flag(owner, "direct", direct)
        if observe is not None and not callable(observe):
            raise TypeError(f"{owner}: observe must be callable observe(state) or None, "
                            f"got {observe!r}")
        nsteps = (t_end - t0) / dt
        if not (0.5 <= nsteps <= MAX_STEPS + 0.5) or abs(nsteps - round(nsteps)) > 1e-6 * nsteps:
            raise validation.ValidationError(owner, "(t_end - t0)/dt",
                                             f"a positive integer <= {MAX_STEPS}", f"{nsteps:g}")
        nsteps = int(round(nsteps))
        tex.set_time(t0)
        steppers = {}
        for name, (f, g, n) in self._sources(direct).items():
            init = None
            if name == "rho_direct":
                init = fem.Function(self.spin.space(3))
                init.interpolate(fem.Expression(self.with_mesh(self.gas.kappa_eq * tex.S),
                                                init.function_space.element.interpolation_points()))
            steppers[name] = self._operator(name).stepper(dt, f, g, n=n, initial=init)
        times, values = [], []
        state = None
        for k in range(nsteps):
            t = t0 + (k + 1) * dt
            tex.set_time(t)
            for st in steppers.values():
                st.step()
            state = TextureState(self, t, {n: s.u for n, s in steppers.items()},
                                 {n: s.rate for n, s in steppers.items()})
            if observe is not None and ((k + 1) % every == 0 or k == nsteps - 1):
                times.append(t)
                values.append(observe(state))
        return TimeResponse(np.array(times), values, state)


def _flag(owner: str, name: str, value) -> bool:
    """A bool flag (:func:`kinetics.validation.boolean`), as a ValidationError."""
    try:
        return validation.boolean(owner, name, value)
    except TypeError:
        raise validation.ValidationError(owner, name, "True or False", repr(value)) from None
