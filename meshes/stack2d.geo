// x-z cross-section of a bilayer on a magnetic insulator, in nanometres: the mesh's
// second coordinate is z (load gives axes="xz").  The .geo twin of
// kinetics.geometry.stack([("pt", t_pt), ("cu", t_cu)], Lx, substrate="yig", dim=2).
SetFactory("OpenCASCADE");
DefineConstant[
  Lx = 50,     // length along x (nm)
  t_pt = 5,    // thickness of the bottom layer "pt" (nm)
  t_cu = 10,   // thickness of the top layer "cu" (nm)
  h = 5,       // maximum element size (nm)
  n_pt = 0,    // cells across "pt" (structured layers); 0 = unstructured
  n_cu = 0     // cells across "cu"; 0 = unstructured
];
Mesh.MeshSizeMax = h;

Point(1) = {0, 0, 0};
Point(2) = {Lx, 0, 0};
Line(1) = {1, 2};
If (n_pt > 0)
  a() = Extrude {0, t_pt, 0} { Curve{1}; Layers{n_pt}; };
Else
  a() = Extrude {0, t_pt, 0} { Curve{1}; };
EndIf
If (n_cu > 0)
  b() = Extrude {0, t_cu, 0} { Curve{a(0)}; Layers{n_cu}; };
Else
  b() = Extrude {0, t_cu, 0} { Curve{a(0)}; };
EndIf

e = 1e-4 * Lx;
z1 = t_pt;
z2 = t_pt + t_cu;
Physical Surface("pt") = {a(1)};
Physical Surface("cu") = {b(1)};
Physical Curve("pt|yig") = Curve In BoundingBox{-e, -e, -e, Lx + e, e, e};
Physical Curve("pt|cu") = Curve In BoundingBox{-e, z1 - e, -e, Lx + e, z1 + e, e};
Physical Curve("cu_top") = Curve In BoundingBox{-e, z2 - e, -e, Lx + e, z2 + e, e};
Physical Curve("pt_xmin") = Curve In BoundingBox{-e, -e, -e, e, z1 + e, e};
Physical Curve("pt_xmax") = Curve In BoundingBox{Lx - e, -e, -e, Lx + e, z1 + e, e};
Physical Curve("cu_xmin") = Curve In BoundingBox{-e, z1 - e, -e, e, z2 + e, e};
Physical Curve("cu_xmax") = Curve In BoundingBox{Lx - e, z1 - e, -e, Lx + e, z2 + e, e};
