// A single heavy-metal film on a magnetic insulator (not meshed), in nanometres.
// The .geo twin of  kinetics.geometry.film(t, (Lx, Ly))  (name "pt", substrate "yig").
SetFactory("OpenCASCADE");
DefineConstant[
  Lx = 40,   // length along x (nm)
  Ly = 40,   // width along y (nm)
  t = 5,     // film thickness (nm)
  h = 5,     // maximum element size (nm)
  n = 0      // cells across the film (structured layers); 0 = unstructured
];
Mesh.MeshSizeMax = h;
Mesh.Algorithm3D = 10;

Rectangle(1) = {0, 0, 0, Lx, Ly};
If (n > 0)
  a() = Extrude {0, 0, t} { Surface{1}; Layers{n}; };
Else
  a() = Extrude {0, 0, t} { Surface{1}; };
EndIf

e = 1e-4 * (Lx + Ly);
Physical Volume("pt") = {a(1)};
Physical Surface("pt|yig") = Surface In BoundingBox{-e, -e, -e, Lx + e, Ly + e, e};
Physical Surface("pt_top") = Surface In BoundingBox{-e, -e, t - e, Lx + e, Ly + e, t + e};
Physical Surface("pt_xmin") = Surface In BoundingBox{-e, -e, -e, e, Ly + e, t + e};
Physical Surface("pt_xmax") = Surface In BoundingBox{Lx - e, -e, -e, Lx + e, Ly + e, t + e};
Physical Surface("pt_ymin") = Surface In BoundingBox{-e, -e, -e, Lx + e, e, t + e};
Physical Surface("pt_ymax") = Surface In BoundingBox{-e, Ly - e, -e, Lx + e, Ly + e, t + e};
