// Elliptical trilayer nanopillar (e.g. a spin valve Py/Cu/Co), in nanometres, contacted
// by leads on its bottom and top faces.  Axis along z through the origin, z from 0 up;
// semi-axes a (x) and b (y).  The .geo twin of  kinetics.geometry.pillar(
//     [("py", t_py), ("cu", t_cu), ("co", t_co)], (a, b)).
SetFactory("OpenCASCADE");
DefineConstant[
  a = 20,      // semi-axis along x (nm)
  b = 10,      // semi-axis along y (nm)
  t_py = 3,    // bottom layer "py" (nm)
  t_cu = 6,    // spacer "cu" (nm)
  t_co = 6,    // top layer "co" (nm)
  h = 3,       // maximum element size (nm)
  n = 0        // cells across every layer (structured layers); 0 = unstructured
];
Mesh.MeshSizeMax = h;
Mesh.Algorithm3D = 10;

If (a >= b)
  Disk(1) = {0, 0, 0, a, b};
Else  // OpenCASCADE wants the major axis along x
  Disk(1) = {0, 0, 0, b, a};
  Rotate {{0, 0, 1}, {0, 0, 0}, Pi/2} { Surface{1}; }
EndIf
If (n > 0)
  l1() = Extrude {0, 0, t_py} { Surface{1}; Layers{n}; };
  l2() = Extrude {0, 0, t_cu} { Surface{l1(0)}; Layers{n}; };
  l3() = Extrude {0, 0, t_co} { Surface{l2(0)}; Layers{n}; };
Else
  l1() = Extrude {0, 0, t_py} { Surface{1}; };
  l2() = Extrude {0, 0, t_cu} { Surface{l1(0)}; };
  l3() = Extrude {0, 0, t_co} { Surface{l2(0)}; };
EndIf

Physical Volume("py") = {l1(1)};
Physical Volume("cu") = {l2(1)};
Physical Volume("co") = {l3(1)};
Physical Surface("bottom_lead") = {1};
Physical Surface("py|cu") = {l1(0)};
Physical Surface("cu|co") = {l2(0)};
Physical Surface("top_lead") = {l3(0)};
Physical Surface("py_sides") = {l1(2)};   // the disk has one boundary curve: one wall each
Physical Surface("cu_sides") = {l2(2)};
Physical Surface("co_sides") = {l3(2)};
