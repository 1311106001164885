// Addresses shared by the reference host's tests (test/host/) and the model's tests
// (test/model/), so that a scenario reads the same in both: Alice at A*, honest peers Bob (B*)
// and Carol (C*), Mallory at M*. All in 2001:db8::/32, the documentation prefix (RFC 3849).

export const A1 = '2001:db8:a::1';
export const A2 = '2001:db8:a2::1';
export const B1 = '2001:db8:b::1';
export const B2 = '2001:db8:b2::1';
export const B3 = '2001:db8:b3::1';
export const C1 = '2001:db8:c::1';
export const C2 = '2001:db8:c2::1';
export const M1 = '2001:db8:e::1';
export const M2 = '2001:db8:e2::1';
