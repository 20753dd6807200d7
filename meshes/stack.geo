// Bilayer film on a magnetic insulator (the substrate is not meshed), in nanometres.
// The .geo twin of  kinetics.geometry.stack([("pt", t_pt), ("cu", t_cu)], (Lx, Ly),
// substrate="yig"):  load with  kinetics.geometry.load("meshes/stack.geo").
// Override parameters with  load(..., parameters={"t_pt": 3, "n_pt": 4})  or
// gmsh -setnumber t_pt 3 meshes/stack.geo.  More layers: copy the pattern below.
SetFactory("OpenCASCADE");
DefineConstant[
  Lx = 50,     // length along x (nm)
  Ly = 30,     // width along y (nm)
  t_pt = 5,    // thickness of the bottom layer "pt" (nm)
  t_cu = 10,   // thickness of the top layer "cu" (nm)
  h = 5,       // maximum element size (nm)
  n_pt = 0,    // cells across "pt" (structured layers); 0 = unstructured
  n_cu = 0     // cells across "cu"; 0 = unstructured
];
Mesh.MeshSizeMax = h;
Mesh.Algorithm3D = 10;

Rectangle(1) = {0, 0, 0, Lx, Ly};
If (n_pt > 0)
  a() = Extrude {0, 0, t_pt} { Surface{1}; Layers{n_pt}; };
Else
  a() = Extrude {0, 0, t_pt} { Surface{1}; };
EndIf
If (n_cu > 0)
  b() = Extrude {0, 0, t_cu} { Surface{a(0)}; Layers{n_cu}; };
Else
  b() = Extrude {0, 0, t_cu} { Surface{a(0)}; };
EndIf

e = 1e-4 * (Lx + Ly);
z1 = t_pt;
z2 = t_pt + t_cu;
Physical Volume("pt") = {a(1)};
Physical Volume("cu") = {b(1)};
Physical Surface("pt|yig") = Surface In BoundingBox{-e, -e, -e, Lx + e, Ly + e, e};
Physical Surface("pt|cu") = Surface In BoundingBox{-e, -e, z1 - e, Lx + e, Ly + e, z1 + e};
Physical Surface("cu_top") = Surface In BoundingBox{-e, -e, z2 - e, Lx + e, Ly + e, z2 + e};
Physical Surface("pt_xmin") = Surface In BoundingBox{-e, -e, -e, e, Ly + e, z1 + e};
Physical Surface("pt_xmax") = Surface In BoundingBox{Lx - e, -e, -e, Lx + e, Ly + e, z1 + e};
Physical Surface("pt_ymin") = Surface In BoundingBox{-e, -e, -e, Lx + e, e, z1 + e};
Physical Surface("pt_ymax") = Surface In BoundingBox{-e, Ly - e, -e, Lx + e, Ly + e, z1 + e};
Physical Surface("cu_xmin") = Surface In BoundingBox{-e, -e, z1 - e, e, Ly + e, z2 + e};
Physical Surface("cu_xmax") = Surface In BoundingBox{Lx - e, -e, z1 - e, Lx + e, Ly + e, z2 + e};
Physical Surface("cu_ymin") = Surface In BoundingBox{-e, -e, z1 - e, Lx + e, e, z2 + e};
Physical Surface("cu_ymax") = Surface In BoundingBox{-e, Ly - e, z1 - e, Lx + e, Ly + e, z2 + e};
