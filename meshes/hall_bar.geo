// Hall bar on a magnetic insulator (not meshed), in nanometres.  The .geo twin of
// kinetics.geometry.hall_bar(L, W, t, arm_width=wa, arm_length=la,
//     arm_positions=[-L/2 + i L/(N+1) for i = 1..N])   (region "pt", bottom "pt|yig").
// The bar lies along x, centred on the origin, z from 0 to t; N pairs of voltage arms,
// evenly spaced, stick out by la on both sides (y > W/2 and y < -W/2).
SetFactory("OpenCASCADE");
DefineConstant[
  L = 400,    // bar length along x (nm)
  W = 100,    // bar width along y (nm)
  t = 10,     // film thickness (nm)
  wa = 40,    // arm width along x (nm)
  la = 60,    // arm length beyond the bar (nm)
  N = 1,      // number of arm pairs
  h = 10,     // maximum element size (nm)
  n = 0       // cells across the film (structured layers); 0 = unstructured
];
Mesh.MeshSizeMax = h;
Mesh.Algorithm3D = 10;

Rectangle(1) = {-L/2, -W/2, 0, L, W};
For i In {1:N}
  x = -L/2 + i * L / (N + 1);
  Rectangle(10 + 2 * i) = {x - wa/2, W/2, 0, wa, la};
  Rectangle(11 + 2 * i) = {x - wa/2, -W/2 - la, 0, wa, la};
EndFor
s() = BooleanUnion{ Surface{1}; Delete; }{ Surface{12 : 11 + 2 * N}; Delete; };
If (n > 0)
  a() = Extrude {0, 0, t} { Surface{s(0)}; Layers{n}; };
Else
  a() = Extrude {0, 0, t} { Surface{s(0)}; };
EndIf

e = 1e-4 * L;
Y = W/2 + la;
Physical Volume("pt") = {a(1)};
bottom() = Surface In BoundingBox{-L/2 - e, -Y - e, -e, L/2 + e, Y + e, e};
top() = Surface In BoundingBox{-L/2 - e, -Y - e, t - e, L/2 + e, Y + e, t + e};
left() = Surface In BoundingBox{-L/2 - e, -W/2 - e, -e, -L/2 + e, W/2 + e, t + e};
right() = Surface In BoundingBox{L/2 - e, -W/2 - e, -e, L/2 + e, W/2 + e, t + e};
Physical Surface("pt|yig") = bottom();
Physical Surface("pt_top") = top();
Physical Surface("contact_left") = left();
Physical Surface("contact_right") = right();
sides() = Surface In BoundingBox{-L/2 - e, -Y - e, -e, L/2 + e, Y + e, t + e};
sides() -= {bottom(), top(), left(), right()};
For i In {1:N}
  x = -L/2 + i * L / (N + 1);
  p() = Surface In BoundingBox{x - wa/2 - e, Y - e, -e, x + wa/2 + e, Y + e, t + e};
  m() = Surface In BoundingBox{x - wa/2 - e, -Y - e, -e, x + wa/2 + e, -Y + e, t + e};
  Physical Surface(Sprintf("probe_%g_ymax", i)) = p();
  Physical Surface(Sprintf("probe_%g_ymin", i)) = m();
  sides() -= {p(), m()};
EndFor
Physical Surface("pt_sides") = sides();
